/** Vite build of the admin UI: root `web/`, output `web/dist`, `/api` proxied to the local service in dev. */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const target = 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Large vendor chunks are expected (Mantine, React); the warning would only be noise.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target, changeOrigin: false },
      '/webhooks': { target, changeOrigin: false },
    },
  },
});
