import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'workbench',
    name: 'workbench',
    component: () => import('./WorkbenchView.vue'),
    meta: { title: 'menu.workbench', menu: { order: 10, icon: 'Odometer' } },
  },
] satisfies RouteRecordRaw[];
