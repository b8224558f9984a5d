/** @packageDocumentation transport-memory */
export {};
