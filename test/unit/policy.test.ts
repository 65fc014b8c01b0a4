import { describe, expect, it } from 'vitest';
import { URGENCIES } from '#core/catalog.ts';
import {
  defaultPolicy,
  type EscalationPolicy,
  MIN_REMINDER_INTERVAL_SECONDS,
  nextTier,
  supervisionIntervals,
  TIERS,
  type Tier,
  validatePolicy,
} from '#core/policy.ts';

const HOUR = 3600;

describe('nextTier', () => {
  it('climbs grid → village → township → department → supervision and stops there', () => {
    // Act
    const chain = TIERS.map(nextTier);

    // Assess
    expect(chain).toEqual(['village', 'township', 'department', 'supervision', null]);
  });
});

describe('defaultPolicy', () => {
  it('gives a normal report the documented hours per tier', () => {
    // Act
    const policy = defaultPolicy('dispute', 'normal');

    // Assess
    expect(policy.category).toBe('dispute');
    expect(policy.urgency).toBe('normal');
    expect(policy.tiers).toEqual({
      grid: { acceptSeconds: 2 * HOUR, completeSeconds: 24 * HOUR },
      village: { acceptSeconds: 4 * HOUR, completeSeconds: 48 * HOUR },
      township: { acceptSeconds: 8 * HOUR, completeSeconds: 72 * HOUR },
      department: { acceptSeconds: 24 * HOUR, completeSeconds: 120 * HOUR },
      supervision: { acceptSeconds: 24 * HOUR, completeSeconds: 72 * HOUR },
    });
  });

  it.each([
    ['urgent', 2],
    ['emergency', 8],
  ] as const)('divides every figure of an %s report by %i', (urgency, divisor) => {
    // Prepare
    const normal = defaultPolicy('dispute', 'normal');

    // Act
    const faster = defaultPolicy('dispute', urgency);

    // Assess
    for (const tier of TIERS) {
      expect(faster.tiers[tier].acceptSeconds).toBe(normal.tiers[tier].acceptSeconds / divisor);
      expect(faster.tiers[tier].completeSeconds).toBe(normal.tiers[tier].completeSeconds / divisor);
    }
  });

  it('starts an emergency at the township and whistles the category’s department, and nothing else does', () => {
    // Act
    const emergency = defaultPolicy('dispute', 'emergency', 'justice');
    const normal = defaultPolicy('dispute', 'normal', 'justice');

    // Assess
    expect(emergency).toMatchObject({ startTier: 'township', whistleDepartments: ['justice'] });
    expect(normal.startTier).toBeUndefined();
    expect(normal.whistleDepartments).toBeUndefined();
    expect(validatePolicy(emergency)).toEqual([]);
  });

  it('refuses a basis, reminder fractions, start tier or whistled departments out of shape', () => {
    // Prepare
    const bad = {
      ...defaultPolicy('dispute', 'normal'),
      basis: 'lunar' as 'working',
      reminderFractions: [0.5, 0.5, 1.2],
      startTier: 'supervision' as const,
      whistleDepartments: ['water', 'water'],
    };

    // Act
    const problems = validatePolicy(bad);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^basis/),
        expect.stringMatching(/^reminderFractions: each between/),
        'reminderFractions: each once',
        expect.stringMatching(/^startTier/),
        'whistleDepartments: each once',
      ]),
    );
  });

  it.each(URGENCIES)('gives each higher tier up to the department more room (%s)', (urgency) => {
    // Prepare
    const climbing: Tier[] = ['grid', 'village', 'township', 'department'];

    // Act
    const { tiers } = defaultPolicy('dispute', urgency);

    // Assess
    for (let i = 1; i < climbing.length; i++) {
      const lower = tiers[climbing[i - 1] as Tier];
      const higher = tiers[climbing[i] as Tier];
      expect(higher.acceptSeconds).toBeGreaterThan(lower.acceptSeconds);
      expect(higher.completeSeconds).toBeGreaterThan(lower.completeSeconds);
    }
  });

  it.each(URGENCIES)('lets every tier accept before it must complete and passes validation (%s)', (urgency) => {
    // Act
    const policy = defaultPolicy('environment', urgency);

    // Assess
    for (const tier of TIERS) expect(policy.tiers[tier].acceptSeconds).toBeLessThan(policy.tiers[tier].completeSeconds);
    expect(validatePolicy(policy)).toEqual([]);
  });

  it('returns a fresh object each time, so editing one policy leaves the defaults alone', () => {
    // Prepare
    const first = defaultPolicy('dispute', 'normal');

    // Act
    first.tiers.grid.acceptSeconds = 1;
    const second = defaultPolicy('dispute', 'normal');

    // Assess
    expect(second.tiers.grid.acceptSeconds).toBe(2 * HOUR);
  });
});

describe('validatePolicy', () => {
  function withGrid(grid: { acceptSeconds: number; completeSeconds: number }): EscalationPolicy {
    const policy = defaultPolicy('dispute', 'normal');
    return { ...policy, tiers: { ...policy.tiers, grid } };
  }

  it.each([0, -60, Number.NaN, Number.POSITIVE_INFINITY, 1e300])(
    'reports a non-positive, missing, infinite or absurd accept window (%d)',
    (seconds) => {
      // Act
      const problems = validatePolicy(withGrid({ acceptSeconds: seconds, completeSeconds: 60 }));

      // Assess
      expect(problems).toEqual(['grid: acceptSeconds must be between 1 second and one year']);
    },
  );

  it('reports a non-positive complete window', () => {
    // Act
    const problems = validatePolicy(withGrid({ acceptSeconds: 60, completeSeconds: 0 }));

    // Assess
    expect(problems).toEqual(['grid: completeSeconds must be between 1 second and one year']);
  });

  it('reports a tier that is missing altogether', () => {
    // Prepare
    const policy = defaultPolicy('dispute', 'normal');
    const { township: _dropped, ...rest } = policy.tiers;

    // Act
    const problems = validatePolicy({ ...policy, tiers: rest as EscalationPolicy['tiers'] });

    // Assess
    expect(problems).toEqual(['township: missing']);
  });

  it('reports every problem at once, not just the first', () => {
    // Prepare
    const policy = withGrid({ acceptSeconds: 0, completeSeconds: -1 });
    policy.tiers.supervision = { acceptSeconds: -5, completeSeconds: 10 };

    // Act
    const problems = validatePolicy(policy);

    // Assess
    expect(problems).toEqual([
      'grid: acceptSeconds must be between 1 second and one year',
      'grid: completeSeconds must be between 1 second and one year',
      'supervision: acceptSeconds must be between 1 second and one year',
      'supervision: reminders (督办) at most every 15 minutes',
    ]);
  });
});

describe('the minimum reminder interval (督办)', () => {
  it('refuses a supervision interval below 15 minutes and holds stored ones to it', () => {
    // Prepare
    const policy = defaultPolicy('livelihood', 'normal');
    const tooShort = { ...policy, tiers: { ...policy.tiers, supervision: { acceptSeconds: 300, completeSeconds: 600 } } };

    // Act
    const problems = validatePolicy(tooShort);
    const held = supervisionIntervals(tooShort.tiers.supervision);

    // Assess
    expect(problems).toEqual([`supervision: reminders (督办) at most every 15 minutes`]);
    expect(held).toEqual({ acceptSeconds: MIN_REMINDER_INTERVAL_SECONDS, completeSeconds: MIN_REMINDER_INTERVAL_SECONDS });
    expect(validatePolicy(policy)).toEqual([]);
  });
});
