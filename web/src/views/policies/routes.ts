import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'policies',
    name: 'policies',
    component: () => import('./PoliciesView.vue'),
    // A county's policies are edited by its county admin (core/use-cases/policies.ts).
    meta: { title: 'menu.policies', menu: { order: 62, icon: 'Timer' }, roles: ['county_admin'] },
  },
] satisfies RouteRecordRaw[];
