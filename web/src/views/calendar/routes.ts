import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'calendar',
    name: 'calendar',
    component: () => import('./CalendarView.vue'),
    // The county's calendar is edited by its county admin (core/use-cases/calendar.ts assertCountyAdminOf).
    meta: { title: 'menu.calendar', menu: { order: 64, icon: 'Calendar' }, roles: ['county_admin'] },
  },
] satisfies RouteRecordRaw[];
