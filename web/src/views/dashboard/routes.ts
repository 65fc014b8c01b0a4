import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'dashboard',
    name: 'dashboard',
    // Lazy: ECharts lives in this page's chunk only, so the first visit's bundle stays small.
    component: () => import('./DashboardView.vue'),
    meta: { title: 'menu.dashboard', menu: { order: 15, icon: 'DataLine' }, roles: ['county_admin', 'township_admin', 'village_admin'] },
  },
] satisfies RouteRecordRaw[];
