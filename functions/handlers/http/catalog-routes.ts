/**
 * Departments and report categories: every signed-in user reads them (a grid worker picks a
 * category when filing), only a county admin changes them.
 */
import * as z from 'zod';
import {
  createCategory,
  createDepartment,
  listCategories,
  listDepartments,
  updateCategory,
  updateDepartment,
} from '#core/use-cases/catalog.ts';
import { authenticate, json, parseJsonBody, pathParameter, route } from './http.ts';
import { errorResponses, isoTime, ref } from './openapi-kit.ts';
import type { RouteModule } from './routes.ts';
import { code } from './schemas.ts';

const CODE = /^[A-Za-z0-9_-]{1,40}$/;

// Sizes here; trimming and control characters are the core's rule (core/catalog.ts).
const contacts = z
  .array(
    z.strictObject({
      label: z.string().min(1).max(20),
      name: z.string().min(1).max(40).optional(),
      phone: z.string().min(1).max(32).describe('a mobile, E.164, or a landline with its area code'),
    }),
  )
  .max(10);

export const newDepartmentBody = z.strictObject({ code, name: z.string().min(1).max(60), contacts: contacts.optional() });
export const departmentPatchBody = z
  .strictObject({ name: z.string().min(1).max(60).optional(), contacts: contacts.optional() })
  .refine((patch) => Object.keys(patch).length > 0, 'say what to change');

export const newCategoryBody = z.strictObject({
  code,
  name: z.string().min(1).max(60),
  description: z.string().min(1).max(200),
  departmentCode: code.describe('the department its reports fall to when the tiers cannot handle them'),
  public: z.boolean().optional().describe('the Open311 feed may show what its reports say, masked (default false)'),
});
export const categoryPatchBody = z
  .strictObject({
    name: z.string().min(1).max(60).optional(),
    description: z.string().min(1).max(200).optional(),
    departmentCode: code.optional(),
    public: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'say what to change');

const wrapped = (key: string, schema: string, description: string) => ({
  description,
  schema: { type: 'object', required: [key], properties: { [key]: ref(schema) } },
});
const listOf = (schema: string, description: string) => ({
  description,
  schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref(schema) } } },
});
const COUNTY_ONLY = '403: ADMIN.COUNTY_ONLY — only a county admin changes';

export const CATALOG_ROUTES: RouteModule = {
  routes: [
    {
      method: 'GET',
      path: '/api/v1/departments',
      public: false,
      create: (deps) =>
        route(async (event) => {
          await authenticate(deps.tokens, event);
          return json(200, await listDepartments(deps));
        }),
      doc: {
        summary: 'The functional departments (职能部门) reports escalate to',
        tag: 'catalog',
        bearer: true,
        responses: { 200: listOf('Department', 'departments'), ...errorResponses(401) },
      },
    },
    {
      method: 'POST',
      path: '/api/v1/departments',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          return json(201, { department: await createDepartment(deps, actor, parseJsonBody(event, newDepartmentBody)) });
        }),
      doc: {
        summary: `Add a department (${COUNTY_ONLY})`,
        tag: 'catalog',
        bearer: true,
        body: newDepartmentBody,
        responses: {
          201: wrapped('department', 'Department', 'created'),
          ...errorResponses(400, 401, 403),
          409: { description: 'DEPARTMENT.EXISTS', schema: ref('Error') },
        },
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/departments/{code}',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const departmentCode = pathParameter(event, 'code', CODE);
          return json(200, { department: await updateDepartment(deps, actor, departmentCode, parseJsonBody(event, departmentPatchBody)) });
        }),
      doc: {
        summary: `Rename a department or change its published contacts (${COUNTY_ONLY})`,
        tag: 'catalog',
        bearer: true,
        body: departmentPatchBody,
        responses: { 200: wrapped('department', 'Department', 'changed'), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    {
      method: 'GET',
      path: '/api/v1/categories',
      public: false,
      create: (deps) =>
        route(async (event) => {
          await authenticate(deps.tokens, event);
          return json(200, await listCategories(deps));
        }),
      doc: {
        summary: 'Report categories',
        tag: 'reports',
        bearer: true,
        responses: { 200: listOf('Category', 'categories'), ...errorResponses(401) },
      },
    },
    {
      method: 'POST',
      path: '/api/v1/categories',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          return json(201, { category: await createCategory(deps, actor, parseJsonBody(event, newCategoryBody)) });
        }),
      doc: {
        summary: `Add a report category with its default department and the default escalation policies (${COUNTY_ONLY})`,
        tag: 'catalog',
        bearer: true,
        body: newCategoryBody,
        responses: {
          201: wrapped('category', 'Category', 'created'),
          ...errorResponses(400, 401, 403),
          409: { description: 'CATEGORY.EXISTS', schema: ref('Error') },
          422: { description: 'DEPARTMENT.UNKNOWN', schema: ref('Error') },
        },
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/categories/{code}',
      public: false,
      create: (deps) =>
        route(async (event) => {
          const actor = await authenticate(deps.tokens, event);
          const categoryCode = pathParameter(event, 'code', CODE);
          return json(200, { category: await updateCategory(deps, actor, categoryCode, parseJsonBody(event, categoryPatchBody)) });
        }),
      doc: {
        summary: `Change a category: name, description, default department, whether Open311 shows its reports’ text (${COUNTY_ONLY})`,
        tag: 'catalog',
        bearer: true,
        body: categoryPatchBody,
        responses: {
          200: wrapped('category', 'Category', 'changed'),
          ...errorResponses(400, 401, 403, 404, 409),
          422: { description: 'DEPARTMENT.UNKNOWN', schema: ref('Error') },
        },
      },
    },
  ],
  components: {
    Department: {
      type: 'object',
      required: ['code', 'name'],
      properties: {
        code: { type: 'string', examples: ['housing'] },
        name: { type: 'string', examples: ['象州县住房和城乡建设局'] },
        contacts: {
          type: 'array',
          items: {
            type: 'object',
            required: ['label', 'phone'],
            properties: { label: { type: 'string' }, name: { type: 'string' }, phone: { type: 'string' } },
          },
        },
        version: { type: 'integer' },
        createdAt: isoTime,
        updatedAt: isoTime,
      },
    },
  },
};
