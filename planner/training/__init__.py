"""Pure: the training log into verdicts, the safety state and the adjustments adapt makes."""
