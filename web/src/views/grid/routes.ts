import type { RouteRecordRaw } from 'vue-router';

const ADMINS = ['county_admin', 'township_admin', 'village_admin'] as const;

export default [
  {
    path: 'grid',
    name: 'grid',
    component: () => import('./GridView.vue'),
    meta: { title: 'menu.grid', menu: { order: 30, icon: 'Share' }, roles: [...ADMINS] },
    children: [{ path: ':code', name: 'grid-node', component: () => import('./GridNode.vue'), meta: { title: 'menu.grid' } }],
  },
] satisfies RouteRecordRaw[];
