export { ReevaluateButton } from './ReevaluateButton';
export { useReevaluation, waitForNewEvaluation } from './useReevaluation';
