/** Billing slice: the only module code outside the slice imports. */
export { PLANS, type Plan } from './plan';
