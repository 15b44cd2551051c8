// The workflow bundle's entry: every workflow type the workers serve, from each domain slice.
export * from '../health/workflows';
export * from '../migration/workflow';
export * from '../stats/workflows';
export * from '../analysis/workflow';
export * from '../monitoring/workflows';
