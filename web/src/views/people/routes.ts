import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'people',
    name: 'people',
    component: () => import('./PeopleView.vue'),
    meta: { title: 'menu.people', menu: { order: 50, icon: 'User' }, roles: ['county_admin', 'township_admin', 'village_admin'] },
  },
] satisfies RouteRecordRaw[];
