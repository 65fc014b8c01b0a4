import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'sms',
    name: 'sms',
    component: () => import('./SmsView.vue'),
    // No route roles: the API decides (403 SMS.ADMINS_ONLY for officers and workers) and the page says why.
    meta: { title: 'menu.sms', menu: { order: 70, icon: 'ChatDotRound' } },
  },
] satisfies RouteRecordRaw[];
