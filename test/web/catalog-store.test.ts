import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCatalogStore } from '#web/stores/catalog.ts';

vi.mock('#web/api/catalog.ts', () => ({
  listDepartments: vi.fn(async () => ({ items: [{ code: 'housing', name: '象州县住房和城乡建设局' }] })),
  listCategories: vi.fn(async () => ({
    items: [{ code: 'infrastructure', name: '基础设施', description: '村道', departmentCode: 'housing', public: true }],
  })),
  createDepartment: vi.fn(async (body: { code: string; name: string }) => ({ department: body })),
  updateDepartment: vi.fn(async (code: string, patch: { name: string }) => ({ department: { code, ...patch } })),
  createCategory: vi.fn(async (body: Record<string, unknown>) => ({ category: body })),
  updateCategory: vi.fn(async (code: string, patch: Record<string, unknown>) => ({
    category: { code, name: '基础设施', description: '村道', departmentCode: 'housing', public: true, ...patch },
  })),
}));

const api = await import('#web/api/catalog.ts');

describe('the catalog store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.clearAllMocks());

  it('loads departments and categories together and names a category’s department', async () => {
    // Act
    const store = useCatalogStore();
    await store.load();

    // Assess
    expect(store.departments.map((d) => d.code)).toEqual(['housing']);
    expect(store.categories.map((c) => c.code)).toEqual(['infrastructure']);
    expect(store.departmentName('housing')).toBe('象州县住房和城乡建设局');
    expect(store.departmentName('gone')).toBe('gone');
  });

  it('adds and changes departments and categories in place', async () => {
    // Prepare
    const store = useCatalogStore();
    await store.load();

    // Act
    await store.createDepartment({ code: 'water', name: '象州县水利局' });
    await store.updateDepartment('housing', { name: '住建局' });
    await store.createCategory({ code: 'road_lights', name: '路灯', description: '路灯不亮', departmentCode: 'housing', public: true });
    await store.updateCategory('infrastructure', { public: false });

    // Assess
    expect(store.departments.map((d) => d.name)).toEqual(['住建局', '象州县水利局']);
    expect(store.categories.map((c) => [c.code, c.public])).toEqual([
      ['infrastructure', false],
      ['road_lights', true],
    ]);
    expect(api.updateCategory).toHaveBeenCalledWith('infrastructure', { public: false });
  });
});
