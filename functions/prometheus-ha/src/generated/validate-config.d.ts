// DO NOT EDIT: generated from schema/prometheus-ha.schema.json by `npm run generate` (scripts/generate.ts).
import type { ErrorObject } from 'ajv';
declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export default validate;
/** The schema the validator was generated from (schema/prometheus-ha.schema.json), whole, parsed on first use. */
export declare const schema: () => Record<string, any>;
