"""The interview state machine: pure, no I/O, no UI, no SDK imports."""

from icpchat.engine.interview import Interview, InterviewState, Outcome, Slot, Turn

__all__ = ["Interview", "InterviewState", "Outcome", "Slot", "Turn"]
