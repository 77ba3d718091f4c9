// Types of scripts/contract-types.mjs, for js/lab/generated/contract.spec.ts.
export declare const SCHEMA_PATH: string;
export declare const TYPES_PATH: string;
/** The TypeScript module json-schema-to-typescript makes of the schema `schemaText`. */
export declare function contractTypes(schemaText: string): Promise<string>;
/** Whether the committed contract.ts is what the committed schema generates. */
export declare function typesAreCurrent(): Promise<{ current: boolean; expected: string }>;
