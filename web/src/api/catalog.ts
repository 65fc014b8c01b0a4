/** Departments (职能部门) and report categories: everyone reads them, county admins change them. */
import { api } from './http';
import type { components, operations } from './schema';

/** The JSON body an operation takes. */
type JsonBodyOf<Op> = Op extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

export type Department = components['schemas']['Department'];
export type Category = components['schemas']['Category'];
export type NewDepartment = JsonBodyOf<operations['postApiV1Departments']>;
export type DepartmentPatch = JsonBodyOf<operations['patchApiV1DepartmentsCode']>;
export type NewCategory = JsonBodyOf<operations['postApiV1Categories']>;
export type CategoryPatch = JsonBodyOf<operations['patchApiV1CategoriesCode']>;

export function listDepartments() {
  return api.get('/api/v1/departments');
}

export function createDepartment(body: NewDepartment) {
  return api.post('/api/v1/departments', { body });
}

export function updateDepartment(code: string, body: DepartmentPatch) {
  return api.patch('/api/v1/departments/{code}', { path: { code }, body });
}

export function listCategories() {
  return api.get('/api/v1/categories');
}

export function createCategory(body: NewCategory) {
  return api.post('/api/v1/categories', { body });
}

export function updateCategory(code: string, body: CategoryPatch) {
  return api.patch('/api/v1/categories/{code}', { path: { code }, body });
}
