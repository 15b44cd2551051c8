/** Health slice (a workflow per queue tier proving its worker answers): the only module code outside it imports. */
export { checkTiers, type TierHealth } from './check';
