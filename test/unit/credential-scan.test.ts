import { describe, expect, it } from 'vitest';
import { findCredentialLeaks } from '../support/local-runtime.ts';

const sent = [
  { id: 'm1', at: '', to: '+8613877200201', reportId: 'R1', text: '【网格吹哨】覃国庆：「桥」待您签收 http://x/l#AbCdEfGh_-123456' },
];

describe('the integration suite’s credential scan', () => {
  it('finds a live SMS link token anywhere in a body, and anything shaped like a link', () => {
    // Act
    const leaks = findCredentialLeaks(
      [
        { request: 'GET /api/v1/reports/R1', text: '{"notifications":[{"text":"… AbCdEfGh_-123456"}]}' },
        { request: 'GET /api/v1/reports/R2', text: '{"text":"see /l/ZZZZZZZZZZZZZZZZ"}' },
        { request: 'GET /api/v1/reports/R3', text: '{"text":"…/l/••••"}' },
      ],
      sent,
    );

    // Assess
    expect(leaks).toEqual(['GET /api/v1/reports/R1: a live SMS link token (AbCd…)', 'GET /api/v1/reports/R2: an SMS link']);
  });

  it('allows a signed upload link only in the uploader’s own POST /api/v1/photos answer', () => {
    // Act
    const leaks = findCredentialLeaks(
      [
        { request: 'POST /api/v1/photos', text: '{"uploadUrl":"/api/v1/photos/P1/content?expires=1&signature=abc"}' },
        { request: 'GET /api/v1/reports/R1', text: '{"photos":["/api/v1/photos/P1/content?expires=1&signature=abc"]}' },
        // How the API writes it: JSON bodies escape `&` as \u0026.
        { request: 'GET /api/v1/reports/R2', text: '{"photos":["/api/v1/photos/P1/content?expires=1\\u0026signature=abc"]}' },
      ],
      [],
    );

    // Assess
    expect(leaks).toEqual(['GET /api/v1/reports/R1: a signed upload link', 'GET /api/v1/reports/R2: a signed upload link']);
  });
});
