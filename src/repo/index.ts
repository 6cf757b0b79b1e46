/** The user's repository: where it is and who is acting in it. */
export { currentActor, findGitRoot, findKeelRoot, requireKeelRoot } from './locate.ts';
