import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'catalog',
    name: 'catalog',
    component: () => import('./CatalogView.vue'),
    // Departments and categories are the county's (core/admin-access.ts assertCountyAdmin).
    meta: { title: 'menu.catalog', menu: { order: 60, icon: 'Collection' }, roles: ['county_admin'] },
  },
] satisfies RouteRecordRaw[];
