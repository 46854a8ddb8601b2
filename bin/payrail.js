#!/usr/bin/env node
// The `payrail` command. Sources are TypeScript run through tsx: no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
