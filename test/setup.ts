import { modules } from '../src/modules/index.ts';
import { installModules } from '../src/platform/module.ts';

// Every test file sees the platform's messages and policies, as the running app does (buildApp installs them too).
installModules(modules);
