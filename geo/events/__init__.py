"""Events: times in Europe/Berlin, upcoming and past, month groups and timelines
(`schedule`), and iCalendar export (`ical`).
"""
