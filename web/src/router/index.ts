/**
 * The console's routes: sign-in and the hosted sign-in callback, and the pages inside the layout.
 * Each area of the console keeps its pages' routes in views/<area>/routes.ts (lazy: every page is
 * its own chunk) with a `menu` entry for the sidebar and the roles that may open it; they are
 * gathered here, so an area adds its folder and nothing else changes.
 */
import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router';
import type { Role } from '../stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    /** The page's title, an i18n key. */
    title?: string;
    /** Open without signing in. */
    public?: boolean;
    /** Who may open it (default: every signed-in user). */
    roles?: Role[];
    /** Its place in the sidebar. */
    menu?: { order: number; icon: string };
  }
}

const areas = import.meta.glob<RouteRecordRaw[]>('../views/*/routes.ts', { eager: true, import: 'default' });

export const AREA_ROUTES: RouteRecordRaw[] = Object.values(areas).flat();

export const ROUTES: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('../views/SignInView.vue'), meta: { public: true, title: 'signIn.title' } },
  {
    path: '/auth/callback',
    name: 'auth-callback',
    component: () => import('../views/SignInView.vue'),
    meta: { public: true, title: 'signIn.title' },
  },
  {
    path: '/',
    component: () => import('../layouts/AppLayout.vue'),
    children: [
      { path: '', redirect: { name: 'workbench' } },
      ...AREA_ROUTES,
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('../views/NotFoundView.vue'),
        meta: { title: 'common.notFound' },
      },
    ],
  },
];

export interface GuardDeps {
  signedIn: () => boolean;
  role: () => Role | null;
}

export function createConsoleRouter(deps: GuardDeps, history = createWebHistory()): Router {
  const router = createRouter({ history, routes: ROUTES, scrollBehavior: () => ({ top: 0 }) });
  router.beforeEach((to) => {
    if (to.meta.public) return true;
    if (!deps.signedIn()) return { name: 'sign-in', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    const roles = to.matched.flatMap((r) => r.meta.roles ?? []);
    const role = deps.role();
    if (roles.length > 0 && (!role || !roles.includes(role)))
      return { name: 'not-found', params: { pathMatch: to.path.slice(1).split('/') } };
    return true;
  });
  return router;
}
