export { type ChangeResult, type DrawerCount, MAX_CHANGE_WORK, makeChange } from './make-change';
