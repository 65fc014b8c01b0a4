import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'map',
    name: 'map',
    component: () => import('./MapView.vue'),
    meta: { title: 'menu.map', menu: { order: 70, icon: 'MapLocation' }, roles: ['county_admin', 'township_admin', 'village_admin'] },
  },
] satisfies RouteRecordRaw[];
