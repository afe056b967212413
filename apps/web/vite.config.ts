import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // In production the API serves dist/ from the same origin; in dev we proxy so the app
  // still talks to a same-origin /api and no CORS configuration is needed.
  // API_PROXY_TARGET points the dev/preview server at an API on another port (e.g. a second checkout).
  server: {
    proxy: {
      '/api': { target: process.env.API_PROXY_TARGET ?? 'http://localhost:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
});
