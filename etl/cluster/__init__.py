"""The cluster itself: companies and their plants, industrial parks, the supplier development
programme and the committees' action plans. Readers and replays of their journal kinds, and the step
that derives companies and park links after every write (derive.refresh)."""
