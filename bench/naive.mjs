// The reference a naive function would be: compose the whole ResourceList with the yaml Document
// API and print it again (what most TypeScript KRM functions do before changing anything).
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';

const doc = parseDocument(readFileSync(0, 'utf8'));
process.stdout.write(doc.toString({ lineWidth: 0 }));
