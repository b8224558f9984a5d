/** @packageDocumentation core */
export {};
