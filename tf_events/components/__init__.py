"""Layout components: React source validated, compiled with esbuild, stored by content hash."""
