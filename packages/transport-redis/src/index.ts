/** @packageDocumentation transport-redis */
export {};
