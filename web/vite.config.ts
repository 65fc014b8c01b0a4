/**
 * The admin console's build. Element Plus is imported per component (unplugin-vue-components), and
 * every page is its own chunk (router/routes.ts), so the first load carries the layout and the
 * sign-in page only. `npm run dev` proxies the API to the local server on PORT (8080).
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

const api = `http://127.0.0.1:${process.env.PORT ?? '8080'}`;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [
    vue(),
    Components({
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: false,
      dirs: [],
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      output: {
        // Vue and its router/store/i18n change together and are needed on every page: one chunk the
        // browser keeps across deployments that change only pages.
        manualChunks: (id) => (/node_modules\/(@vue|vue|vue-router|pinia|vue-i18n|@intlify)\//.test(id) ? 'vue' : undefined),
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': api, '/l': api, '/open311': api },
  },
});
