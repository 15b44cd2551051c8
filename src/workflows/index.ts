// The workflow bundle's entry: every workflow type the workers serve, from each domain slice.
export * from '../health/workflows';
export * from '../migration/workflows';
export * from '../stats/workflows';
export * from '../analysis/workflows';
export * from '../monitoring/workflows';
export * from '../broadcast/workflows';
export * from '../billing/workflows';
export * from '../predictions/workflows';
export * from '../briefs/workflows';
export * from '../retention/workflows';
