#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx (see README: why tsx).
import { register } from 'tsx/esm/api';

register();
await import('../runner/cli/main.ts');
