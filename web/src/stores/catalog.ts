/** Departments and report categories: read by every page that names them, changed by county admins. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Category, CategoryPatch, Department, DepartmentPatch, NewCategory, NewDepartment } from '../api/catalog';
import * as catalogApi from '../api/catalog';

export const useCatalogStore = defineStore('catalog', () => {
  const departments = ref<Department[]>([]);
  const categories = ref<Category[]>([]);
  const loading = ref(false);

  const departmentName = computed(() => {
    const names = new Map(departments.value.map((d) => [d.code, d.name]));
    return (code: string | undefined) => (code ? (names.get(code) ?? code) : '');
  });

  async function load() {
    loading.value = true;
    try {
      const [d, c] = await Promise.all([catalogApi.listDepartments(), catalogApi.listCategories()]);
      departments.value = d.items;
      categories.value = c.items;
    } finally {
      loading.value = false;
    }
  }

  async function createDepartment(input: NewDepartment): Promise<Department> {
    const { department } = await catalogApi.createDepartment(input);
    departments.value = [...departments.value, department];
    return department;
  }

  async function updateDepartment(code: string, patch: DepartmentPatch): Promise<Department> {
    const { department } = await catalogApi.updateDepartment(code, patch);
    departments.value = departments.value.map((d) => (d.code === code ? department : d));
    return department;
  }

  async function createCategory(input: NewCategory): Promise<Category> {
    const { category } = await catalogApi.createCategory(input);
    categories.value = [...categories.value, category];
    return category;
  }

  async function updateCategory(code: string, patch: CategoryPatch): Promise<Category> {
    const { category } = await catalogApi.updateCategory(code, patch);
    categories.value = categories.value.map((c) => (c.code === code ? category : c));
    return category;
  }

  return { departments, categories, loading, departmentName, load, createDepartment, updateDepartment, createCategory, updateCategory };
});
