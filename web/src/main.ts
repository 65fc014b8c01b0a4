/**
 * The console starts here: config (where to sign in), stores restored from the tab, the client's
 * interceptors bound to them, the router guarded by them, then the app.
 */
import 'element-plus/theme-chalk/base.css';
import 'element-plus/theme-chalk/el-message.css';
import './theme.css';
import { ElMessage } from 'element-plus';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { ApiError } from './api/client';
import { api } from './api/http';
import { installInterceptors } from './api/interceptors';
import { loadConsoleConfig } from './config';
import { createConsoleI18n } from './i18n';
import { createConsoleRouter } from './router';
import { useAuthStore } from './stores/auth';
import { useConsoleStore } from './stores/console';
import { useLocaleStore } from './stores/locale';

async function start() {
  const config = await loadConsoleConfig();
  const app = createApp(App);
  const pinia = createPinia();
  app.use(pinia);
  const i18n = createConsoleI18n();
  app.use(i18n);

  const localeStore = useLocaleStore();
  localeStore.bind((next) => {
    i18n.global.locale.value = next;
  });
  localeStore.restore();
  useConsoleStore().configure(config);
  const auth = useAuthStore();
  auth.configure(config.auth);
  auth.restore();

  const router = createConsoleRouter({ signedIn: () => auth.signedIn, role: () => auth.user?.role ?? null });
  installInterceptors(api, {
    token: () => auth.session?.token ?? null,
    locale: () => localeStore.locale,
    refresh: () => auth.refresh(),
    signedOut: () => {
      auth.forget();
      void router.replace({ name: 'sign-in', query: { redirect: router.currentRoute.value.fullPath } });
    },
    translate: (key, values) => {
      // The messages' type is too deep to infer here; keys are checked at runtime by te().
      const global = i18n.global as unknown as { te: (k: string) => boolean; t: (k: string, v: Record<string, unknown>) => string };
      return global.te(key) ? global.t(key, values ?? {}) : null;
    },
  });
  app.use(router);

  // A failure no page handled: said once, in the reader's language, never as a blank page.
  app.config.errorHandler = (error) => {
    if (error instanceof ApiError && error.status === 401) return;
    ElMessage.error(error instanceof Error ? error.message : String(error));
  };
  app.mount('#app');
}

void start();
