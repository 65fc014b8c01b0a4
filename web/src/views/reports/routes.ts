import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'reports',
    name: 'reports',
    component: () => import('./ReportsView.vue'),
    meta: { title: 'menu.reports', menu: { order: 20, icon: 'Document' } },
  },
  {
    path: 'reports/:id(R[0-9A-F]{15})',
    name: 'report',
    component: () => import('./ReportDetail.vue'),
    meta: { title: 'reports.detailTitle' },
  },
] satisfies RouteRecordRaw[];
