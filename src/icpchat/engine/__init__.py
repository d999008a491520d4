"""The interview state machine: pure, no I/O, no UI, no SDK imports."""

from icpchat.engine.interview import Interview, InterviewState, Outcome, Turn
from icpchat.engine.slots import GateSlot, QuestionSlot, Slot

__all__ = ["GateSlot", "Interview", "InterviewState", "Outcome", "QuestionSlot", "Slot", "Turn"]
