namespace LiveSession.Server.Tests.Ecosystem;

/// <summary>
/// A schedule shaped like pretalx's "JSON (frab compatible)" export (schedule/export/schedule.json):
/// written by hand from pretalx's FrabJsonExporter and the c3voc schema, with the keys pretalx
/// writes that the agenda has no use for (guid, logo, abstract, links, …) kept in.
/// </summary>
public static class PretalxSchedules
{
    public const string TwoRooms = """
        {
          "$schema": "https://c3voc.de/schedule/schema.json",
          "generator": { "name": "pretalx", "version": "2024.3.1" },
          "schedule": {
            "url": "https://pretalx.example.org/bms22/schedule/",
            "version": "1.2",
            "base_url": "https://pretalx.example.org",
            "conference": {
              "acronym": "BMS22",
              "title": "Stopping Biometric Mass Surveillance in Europe",
              "start": "2022-11-08",
              "end": "2022-11-08",
              "daysCount": 1,
              "timeslot_duration": "00:05",
              "time_zone_name": "Europe/Brussels",
              "colors": { "primary": "#3aa57c" },
              "rooms": [
                { "name": "SPAAK 6B1", "slug": "spaak-6b1", "guid": "b3c1e8b0-2f0a-5e0c-9d2e-1a7a6f1c0001", "description": null, "capacity": 120 },
                { "name": "Foyer", "slug": "foyer", "guid": "b3c1e8b0-2f0a-5e0c-9d2e-1a7a6f1c0002", "description": null, "capacity": 300 }
              ],
              "tracks": [ { "name": "Civil society", "slug": "civil-society", "color": "#c0392b" } ],
              "days": [
                {
                  "index": 1,
                  "date": "2022-11-08",
                  "day_start": "2022-11-08T04:00:00+01:00",
                  "day_end": "2022-11-09T03:59:00+01:00",
                  "rooms": {
                    "SPAAK 6B1": [
                      {
                        "guid": "5d1c0a52-8a2b-5a8e-8d3b-7f1e2c3d0001",
                        "code": "ABCDEF",
                        "id": 101,
                        "logo": null,
                        "date": "2022-11-08T17:15:00+01:00",
                        "start": "17:15",
                        "duration": "0:05",
                        "room": "SPAAK 6B1",
                        "slug": "bms22-101-opening-statement",
                        "url": "https://pretalx.example.org/bms22/talk/ABCDEF/",
                        "title": "Opening statement",
                        "subtitle": "",
                        "track": null,
                        "type": "Talk",
                        "language": "en",
                        "abstract": "Why a ban, and why now.",
                        "description": "",
                        "recording_license": "",
                        "do_not_record": false,
                        "persons": [
                          { "code": "PB1234", "name": "Patrick Breyer", "avatar": null, "biography": "MEP", "public_name": "Patrick Breyer", "guid": "0f1e2d3c-0001-5000-8000-000000000001", "url": "https://pretalx.example.org/bms22/speaker/PB1234/" }
                        ],
                        "links": [],
                        "feedback_url": "https://pretalx.example.org/bms22/talk/ABCDEF/feedback/",
                        "origin_url": "https://pretalx.example.org/bms22/talk/ABCDEF/",
                        "attachments": []
                      },
                      {
                        "guid": "5d1c0a52-8a2b-5a8e-8d3b-7f1e2c3d0002",
                        "code": "GHJKLM",
                        "id": 102,
                        "logo": null,
                        "date": "2022-11-08T17:20:00+01:00",
                        "start": "17:20",
                        "duration": "0:25",
                        "room": "SPAAK 6B1",
                        "slug": "bms22-102-statements-by-ngos",
                        "url": "https://pretalx.example.org/bms22/talk/GHJKLM/",
                        "title": "Statements by NGOs",
                        "subtitle": "Two and a half minutes each",
                        "track": "Civil society",
                        "type": "Statements",
                        "language": "en",
                        "abstract": "",
                        "description": "",
                        "recording_license": "",
                        "do_not_record": false,
                        "persons": [
                          { "code": "LQDN01", "name": "La Quadrature du Net", "avatar": null, "biography": "", "public_name": "La Quadrature du Net", "guid": "0f1e2d3c-0002-5000-8000-000000000002", "url": "https://pretalx.example.org/bms22/speaker/LQDN01/" },
                          { "code": "CCC001", "name": "Chaos Computer Club", "avatar": null, "biography": "", "public_name": "Chaos Computer Club", "guid": "0f1e2d3c-0003-5000-8000-000000000003", "url": "https://pretalx.example.org/bms22/speaker/CCC001/" }
                        ],
                        "links": [ { "title": "Statement", "url": "https://example.org/statement.pdf", "type": "related" } ],
                        "feedback_url": "https://pretalx.example.org/bms22/talk/GHJKLM/feedback/",
                        "origin_url": "https://pretalx.example.org/bms22/talk/GHJKLM/",
                        "attachments": []
                      },
                      {
                        "guid": "5d1c0a52-8a2b-5a8e-8d3b-7f1e2c3d0003",
                        "code": "NPQRST",
                        "id": 103,
                        "logo": null,
                        "date": "2022-11-08T17:45:00+01:00",
                        "start": "17:45",
                        "duration": "0:30",
                        "room": "SPAAK 6B1",
                        "slug": "bms22-103-reactions-of-co-hosting-meps",
                        "url": "https://pretalx.example.org/bms22/talk/NPQRST/",
                        "title": "Reactions of co-hosting MEPs",
                        "subtitle": null,
                        "track": null,
                        "type": "Panel",
                        "language": "en",
                        "abstract": "",
                        "description": "",
                        "recording_license": "",
                        "do_not_record": true,
                        "persons": [
                          { "code": "PB1234", "name": "Patrick Breyer", "avatar": null, "biography": "MEP", "public_name": "Patrick Breyer", "guid": "0f1e2d3c-0001-5000-8000-000000000001", "url": "https://pretalx.example.org/bms22/speaker/PB1234/" },
                          { "code": "KK0001", "name": "Kateřina Konečná", "avatar": null, "biography": "", "public_name": "Kateřina Konečná", "guid": "0f1e2d3c-0004-5000-8000-000000000004", "url": "https://pretalx.example.org/bms22/speaker/KK0001/" }
                        ],
                        "links": [],
                        "feedback_url": "https://pretalx.example.org/bms22/talk/NPQRST/feedback/",
                        "origin_url": "https://pretalx.example.org/bms22/talk/NPQRST/",
                        "attachments": []
                      }
                    ],
                    "Foyer": [
                      {
                        "guid": "5d1c0a52-8a2b-5a8e-8d3b-7f1e2c3d0004",
                        "code": "UVWXYZ",
                        "id": 104,
                        "logo": null,
                        "date": "2022-11-08T18:15:00+01:00",
                        "start": "18:15",
                        "duration": "1:15",
                        "room": "Foyer",
                        "slug": "bms22-104-drinks-food",
                        "url": "https://pretalx.example.org/bms22/talk/UVWXYZ/",
                        "title": "Drinks & food",
                        "subtitle": "",
                        "track": null,
                        "type": "Break",
                        "language": "en",
                        "abstract": "",
                        "description": "",
                        "recording_license": "",
                        "do_not_record": false,
                        "persons": [],
                        "links": [],
                        "feedback_url": "https://pretalx.example.org/bms22/talk/UVWXYZ/feedback/",
                        "origin_url": "https://pretalx.example.org/bms22/talk/UVWXYZ/",
                        "attachments": []
                      }
                    ]
                  }
                }
              ]
            }
          }
        }
        """;

    /// <summary>The agenda file an organiser would write by hand for the SPAAK 6B1 room of <see cref="TwoRooms"/>.</summary>
    public const string SpaakAgenda = """
        code: bms22
        title: Stopping Biometric Mass Surveillance in Europe
        venue: European Parliament, Brussels
        room: SPAAK 6B1
        timeZone: Europe/Brussels
        date: 2022-11-08
        startsAt: "17:15"
        slots:
          - title: Opening statement
            kind: talk
            starts: "17:15"
            ends: "17:20"
            speakers:
              - name: Patrick Breyer
          - title: Statements by NGOs
            kind: statements
            starts: "17:20"
            ends: "17:45"
            note: Two and a half minutes each
            speakers:
              - name: La Quadrature du Net
              - name: Chaos Computer Club
          - title: Reactions of co-hosting MEPs
            kind: panel
            starts: "17:45"
            ends: "18:15"
            speakers:
              - id: patrick-breyer-2
                name: Patrick Breyer
              - name: Kateřina Konečná
        """;
}
