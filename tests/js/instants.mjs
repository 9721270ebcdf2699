// Reads an .ics file on stdin and prints, for every VEVENT in order, its start and end as
// UTC seconds, converted with the VTIMEZONE components of the file itself: ical.js has no
// zone database of its own, so a TZID means only what the file's VTIMEZONE says.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}
const instants = root.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return [event.startDate.toUnixTime(), event.endDate.toUnixTime()];
});
process.stdout.write(JSON.stringify(instants) + "\n");
