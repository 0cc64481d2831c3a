#!/usr/bin/env node
// Starts the server from the TypeScript sources (tsx), without building the app first.
import { register } from 'tsx/esm/api';

register();
await import('../server/run.ts');
