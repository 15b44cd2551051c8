/** Account slice (start, language, link, settings): the only module code outside the slice imports. */
export { createAccountComposer, createNicknameAfterStartComposer } from './composer';
