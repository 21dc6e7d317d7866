/** Name and version reported in CapabilityStatement.software (version from package.json). */
import fs from 'node:fs';

const packageJson = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };

export const SOFTWARE = Object.freeze({ name: 'fhir-ws-reference-server', version: packageJson.version ?? '0.0.0' });
