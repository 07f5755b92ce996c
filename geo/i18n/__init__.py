"""The translation table: every UI text and user-facing message, German and English.

Keys are dotted (``err.*`` for user errors, ``ui.*`` for labels). `t()` falls back to
German when a key has no English text, and to the key itself when it is unknown, so a
missing translation shows up visibly instead of crashing a page.
"""

from __future__ import annotations

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

# key: (German, English). Sections are kept apart so each domain's texts stay together.
_ERRORS: dict[str, tuple[str, str]] = {
    "err.unsupported_format": (
        "Das Dateiformat „{suffix}“ wird nicht unterstützt. Bitte laden Sie GeoPackage (.gpkg), "
        "GeoJSON (.geojson/.json), KML (.kml), CSV mit Koordinaten (.csv) oder ein ZIP mit "
        "Shapefile hoch.",
        "The file format “{suffix}” is not supported. Please upload GeoPackage (.gpkg), "
        "GeoJSON (.geojson/.json), KML (.kml), CSV with coordinates (.csv) or a zipped Shapefile.",
    ),
    "err.unreadable": (
        "Die Datei „{name}“ kann nicht gelesen werden ({reason}). Bitte prüfen Sie, ob sie "
        "vollständig ist, und exportieren Sie sie gegebenenfalls erneut aus Ihrem GIS.",
        "The file “{name}” cannot be read ({reason}). Please check that it is complete and "
        "export it again from your GIS if needed.",
    ),
    "err.no_spatial_layer": (
        "Die Datei „{name}“ enthält keine Ebene mit Geometrien. Bitte exportieren Sie eine "
        "Ebene mit Punkten, Linien oder Flächen.",
        "The file “{name}” contains no layer with geometries. Please export a layer with "
        "points, lines or polygons.",
    ),
    "err.layer_not_in_file": (
        "Die Ebene „{layer}“ gibt es in „{name}“ nicht. Vorhandene Ebenen: {available}.",
        "The layer “{layer}” does not exist in “{name}”. Available layers: {available}.",
    ),
    "err.no_features": (
        "In „{name}“ wurden keine Objekte mit gültiger Geometrie gefunden ({reason}). Es wurde "
        "nichts gespeichert.",
        "No features with a valid geometry were found in “{name}” ({reason}). Nothing was stored.",
    ),
    "err.missing_crs": (
        "Die Datei „{name}“ enthält kein Koordinatenbezugssystem. Bitte geben Sie es an, z. B. "
        "„--crs 25832“ (ETRS89/UTM 32N) oder im Upload-Formular.",
        "The file “{name}” has no coordinate reference system. Please give one, e.g. "
        "“--crs 25832” (ETRS89/UTM 32N) or in the upload form.",
    ),
    "err.bad_crs": (
        "„{crs}“ ist kein bekanntes Koordinatenbezugssystem. Bitte geben Sie einen EPSG-Code "
        "an, z. B. 25832, 25833 oder 4326.",
        "“{crs}” is not a known coordinate reference system. Please give an EPSG code, "
        "e.g. 25832, 25833 or 4326.",
    ),
    "err.too_large": (
        "Die Datei „{name}“ ist mit {size_mb} MB größer als erlaubt ({limit_mb} MB). Bitte "
        "teilen Sie die Daten auf oder bitten Sie die IT, die Grenze zu erhöhen.",
        "The file “{name}” is {size_mb} MB, more than allowed ({limit_mb} MB). Please split "
        "the data or ask IT to raise the limit.",
    ),
    "err.zip_unsafe": (
        "Das ZIP-Archiv „{name}“ wurde abgelehnt ({reason}). Bitte packen Sie nur die "
        "Geodaten ohne Unterordner-Tricks neu.",
        "The ZIP archive “{name}” was refused ({reason}). Please repack just the geodata.",
    ),
    "err.zip_no_data": (
        "Im ZIP-Archiv „{name}“ wurde kein Shapefile (.shp mit .shx/.dbf), GeoPackage, GeoJSON "
        "oder KML gefunden.",
        "No Shapefile (.shp with .shx/.dbf), GeoPackage, GeoJSON or KML was found in the ZIP "
        "archive “{name}”.",
    ),
    "err.csv_no_coordinates": (
        "In der CSV-Datei „{name}“ wurden keine Koordinatenspalten erkannt (gefunden: "
        "{columns}). Bitte benennen Sie die Spalten z. B. „lat“/„lon“ oder „Breite“/„Länge“, "
        "oder geben Sie sie an (--x SPALTE --y SPALTE).",
        "No coordinate columns were recognised in the CSV file “{name}” (found: {columns}). "
        "Please name them e.g. “lat”/“lon”, or give them explicitly (--x COLUMN --y COLUMN).",
    ),
    "err.csv_column_missing": (
        "Die Spalte „{column}“ gibt es in „{name}“ nicht. Vorhandene Spalten: {columns}.",
        "The column “{column}” does not exist in “{name}”. Available columns: {columns}.",
    ),
    "err.layer_not_found": (
        "Die Ebene „{layer_id}“ gibt es nicht. „python -m geo list“ zeigt alle Ebenen.",
        "The layer “{layer_id}” does not exist. “python -m geo list” shows all layers.",
    ),
    "err.version_not_found": (
        "Die Ebene „{layer_id}“ hat keine Version {version}. Vorhandene Versionen: {available}.",
        "The layer “{layer_id}” has no version {version}. Available versions: {available}.",
    ),
    "err.layer_deleted": (
        "Die Ebene „{layer_id}“ liegt im Papierkorb. Stellen Sie sie zuerst wieder her.",
        "The layer “{layer_id}” is in the trash. Restore it first.",
    ),
    "err.layer_not_deleted": (
        "Die Ebene „{layer_id}“ liegt nicht im Papierkorb.",
        "The layer “{layer_id}” is not in the trash.",
    ),
    "err.bad_kind": (
        "„{kind}“ ist keine bekannte Art. Erlaubt sind: {allowed}.",
        "“{kind}” is not a known kind. Allowed: {allowed}.",
    ),
    "err.bad_export_format": (
        "„{fmt}“ ist kein Exportformat. Erlaubt sind: gpkg, geojson, csv.",
        "“{fmt}” is not an export format. Allowed: gpkg, geojson, csv.",
    ),
    "err.store_unavailable": (
        "Der Datenspeicher „{location}“ kann nicht geöffnet werden ({reason}). Bitte prüfen Sie "
        "den Pfad und die Schreibrechte.",
        "The data store “{location}” cannot be opened ({reason}). Please check the path and "
        "write permissions.",
    ),
    "err.file_not_found": (
        "Die Datei „{name}“ wurde nicht gefunden. Bitte prüfen Sie den Pfad.",
        "The file “{name}” was not found. Please check the path.",
    ),
    "err.layer_file_missing": (
        "Die Daten der Ebene „{layer_id}“ (Version {version}) fehlen im Speicher. Bitte stellen "
        "Sie eine andere Version oder eine Sicherung wieder her.",
        "The data of layer “{layer_id}” (version {version}) is missing from the store. Please "
        "restore another version or a backup.",
    ),
    "err.store_write_failed": (
        "Die Daten aus „{name}“ konnten nicht gespeichert werden ({reason}). Es wurde nichts "
        "geändert; bitte prüfen Sie Speicherplatz und Spaltennamen.",
        "The data from “{name}” could not be stored ({reason}). Nothing was changed; please "
        "check disk space and column names.",
    ),
    "err.store_busy": (
        "Die Ebene „{layer_id}“ wird gerade von anderen geändert. Bitte versuchen Sie es in "
        "einem Moment erneut.",
        "The layer “{layer_id}” is being changed by others right now. Please try again in a moment.",
    ),
    "err.phone_bad_request": (
        "Die Anfrage konnte nicht gelesen werden. Bitte laden Sie die Seite neu und senden Sie erneut.",
        "The request could not be read. Please reload the page and send again.",
    ),
    "err.migrate_target_not_empty": (
        "Das Ziel „{location}“ enthält schon andere Daten. Bitte migrieren Sie in einen leeren Speicher "
        "(neuer Ordner oder neue Datenbank).",
        "The target “{location}” already holds other data. Please migrate into an empty store (a new "
        "folder or a new database).",
    ),
    "err.migrate_mismatch": (
        "Die Prüfung nach dem Kopieren ist fehlgeschlagen: „{table}“ hat in der Quelle {source} und im "
        "Ziel {target} Einträge oder andere Inhalte. Bitte leeren Sie das Ziel und migrieren Sie erneut.",
        "The check after copying failed: “{table}” has {source} entries in the source and {target} in "
        "the target, or different content. Please empty the target and migrate again.",
    ),
    "err.migrate_same": (
        "Quelle und Ziel sind derselbe Speicher („{location}“). Bitte geben Sie mit --to ein "
        "anderes Ziel an.",
        "Source and target are the same store (“{location}”). Please name another target with --to.",
    ),
    "err.backup_target_not_empty": (
        "Der Sicherungsordner „{target}“ ist nicht leer. Bitte wählen Sie einen neuen oder leeren Ordner.",
        "The backup folder “{target}” is not empty. Please choose a new or empty folder.",
    ),
    "err.analysis_role_missing": (
        "Für die Gemeinde-Ebene „{layer}“ ist keine Spalte mit der Rolle „{role}“ festgelegt. Bitte "
        "ordnen Sie in den Ebenen-Einstellungen eine Spalte zu (z. B. „AGS“ als Schlüssel).",
        "The municipality layer “{layer}” has no column with the role “{role}”. Please assign one "
        "in the layer settings (e.g. “AGS” as key).",
    ),
    "err.analysis_column_missing": (
        "Die Spalte „{column}“ (Rolle „{role}“) gibt es in der Ebene „{layer}“ nicht. Bitte wählen "
        "Sie eine vorhandene Spalte: {columns}.",
        "The column “{column}” (role “{role}”) does not exist in the layer “{layer}”. Please choose "
        "an existing column: {columns}.",
    ),
    "err.analysis_not_polygons": (
        "Die Ebene „{layer}“ enthält keine Flächen, nur {geom_types}. Bitte wählen Sie für "
        "Gemeinde-Auswertungen eine Ebene mit Gemeindeflächen.",
        "The layer “{layer}” contains no polygons, only {geom_types}. Please choose a layer with "
        "municipal areas for municipality analyses.",
    ),
    "err.analysis_no_municipalities": (
        "Die Ebene „{layer}“ enthält keine Gemeinde mit Geometrie. Bitte laden Sie die "
        "Gemeindegrenzen erneut hoch.",
        "The layer “{layer}” contains no municipality with a geometry. Please upload the "
        "municipal boundaries again.",
    ),
    "err.analysis_empty_key": (
        "{count} Gemeinden in „{layer}“ haben keinen Wert in der Schlüsselspalte „{column}“. Bitte "
        "ergänzen Sie die Schlüssel oder wählen Sie eine andere Spalte als Schlüssel.",
        "{count} municipalities in “{layer}” have no value in the key column “{column}”. Please "
        "fill in the keys or choose another column as key.",
    ),
    "err.analysis_no_crs": (
        "Die Ebene „{layer}“ hat kein Koordinatenbezugssystem, daher kann nicht gemessen werden. "
        "Bitte laden Sie sie mit Angabe des Koordinatensystems erneut hoch.",
        "The layer “{layer}” has no coordinate reference system, so nothing can be measured. "
        "Please upload it again and state its coordinate system.",
    ),
    "err.analysis_bad_distance": (
        "Die Entfernung „{distance}“ ist ungültig. Bitte wählen Sie eine Entfernung größer als 0 m.",
        "The distance “{distance}” is invalid. Please choose a distance greater than 0 m.",
    ),
    "err.analysis_unknown_municipality": (
        "Die Gemeinde „{municipality}“ gibt es in der Auswertung nicht. Bitte wählen Sie eine Gemeinde "
        "aus der Liste.",
        "The municipality “{municipality}” is not in the analysis. Please choose a municipality "
        "from the list.",
    ),
    "err.analysis_no_values": (
        "Für „{indicator}“ liegen keine Werte vor, daher kann die Karte nicht eingefärbt werden. "
        "Bitte wählen Sie einen anderen Indikator.",
        "There are no values for “{indicator}”, so the map cannot be coloured. Please choose "
        "another indicator.",
    ),
    "err.analysis_bad_table_format": (
        "„{fmt}“ ist kein Exportformat für die Tabelle. Erlaubt sind: csv, xlsx, gpkg.",
        "“{fmt}” is not an export format for the table. Allowed: csv, xlsx, gpkg.",
    ),
    "err.analysis_bad_point": (
        "Der Punkt ({lon}, {lat}) hat keine gültigen Koordinaten. Bitte setzen Sie ihn per Klick "
        "in die Karte.",
        "The point ({lon}, {lat}) has no valid coordinates. Please place it by clicking the map.",
    ),
    "err.empty_layer": (
        "Die Ebene „{layer}“ in „{name}“ enthält keine Objekte. Bitte wählen Sie eine andere Ebene "
        "oder exportieren Sie die Daten erneut aus Ihrem GIS.",
        "The layer “{layer}” in “{name}” contains no features. Please choose another layer or "
        "export the data again from your GIS.",
    ),
    "err.layer_not_spatial": (
        "Die Ebene „{layer}“ in „{name}“ enthält keine Geometrien (reine Tabelle oder Sicht). Bitte "
        "wählen Sie eine Ebene mit Punkten, Linien oder Flächen.",
        "The layer “{layer}” in “{name}” contains no geometries (plain table or view). Please "
        "choose a layer with points, lines or polygons.",
    ),
    "err.shp_needs_zip": (
        "Ein Shapefile („{name}“) besteht aus mehreren Dateien (.shp, .shx, .dbf, .prj). Bitte "
        "packen Sie diese zusammen in ein ZIP-Archiv und laden Sie das ZIP hoch.",
        "A Shapefile (“{name}”) consists of several files (.shp, .shx, .dbf, .prj). Please put "
        "them together into a ZIP archive and upload the ZIP.",
    ),
    "err.zip_too_large": (
        "Das ZIP-Archiv „{name}“ wäre entpackt größer als erlaubt ({limit_mb} MB). Bitte laden Sie "
        "nur die benötigten Geodaten hoch oder teilen Sie sie auf.",
        "The ZIP archive “{name}” would unpack to more than allowed ({limit_mb} MB). Please upload "
        "only the geodata you need, or split it.",
    ),
    "err.zip_too_many_files": (
        "Das ZIP-Archiv „{name}“ enthält {count} Dateien, erlaubt sind höchstens {limit}. Bitte "
        "packen Sie nur die benötigten Geodaten ein.",
        "The ZIP archive “{name}” holds {count} files, at most {limit} are allowed. Please pack "
        "only the geodata you need.",
    ),
    "err.csv_xy_pair": (
        "Für „{name}“ wurde nur eine Koordinatenspalte angegeben. Bitte geben Sie beide an "
        "(--x SPALTE --y SPALTE).",
        "Only one coordinate column was given for “{name}”. Please give both (--x COLUMN --y COLUMN).",
    ),
    "err.auth_failed": (
        "Benutzername oder Passwort ist falsch. Bitte prüfen Sie Ihre Eingabe; nach mehreren "
        "Fehlversuchen wird das Konto einige Minuten gesperrt.",
        "The user name or password is wrong. Please check your input; after several failed "
        "attempts the account is locked for a few minutes.",
    ),
    "err.auth_locked": (
        "Das Konto ist nach zu vielen Fehlversuchen gesperrt. Bitte versuchen Sie es in {minutes} "
        "Minuten erneut.",
        "The account is locked after too many failed attempts. Please try again in {minutes} minutes.",
    ),
    "err.auth_config": (
        "Die Planer-Konten sind falsch eingerichtet ({source}: {reason}). Bitte wenden Sie sich an "
        "die IT (Anleitung im README unter „Planer-Konto anlegen“).",
        "The planner accounts are set up wrongly ({source}: {reason}). Please contact IT "
        "(instructions in the README under “Planer-Konto anlegen”).",
    ),
    "err.auth_no_accounts": (
        "Es ist noch kein Planer-Konto eingerichtet. Bitte lassen Sie die IT ein Konto anlegen "
        "(README, „Planer-Konto anlegen“).",
        "No planner account has been set up yet. Please ask IT to create one (README, "
        "“Planer-Konto anlegen”).",
    ),
    "err.auth_short_password": (
        "Das Passwort hat nur {length} Zeichen. Bitte wählen Sie mindestens {minimum} Zeichen, "
        "z. B. einen Satz aus mehreren Wörtern.",
        "The password has only {length} characters. Please choose at least {minimum}, "
        "e.g. a sentence of several words.",
    ),
    "err.auth_empty_password": (
        "Das Passwort ist leer. Bitte geben Sie ein Passwort ein.",
        "The password is empty. Please enter a password.",
    ),
    "err.upload_title_missing": (
        "Die neue Ebene hat keinen Titel. Bitte geben Sie einen Titel ein.",
        "The new layer has no title. Please enter a title.",
    ),
    "err.upload_target_missing": (
        "Es ist keine Ebene gewählt, die ersetzt oder ergänzt werden soll. Bitte wählen Sie eine Ebene aus.",
        "No layer is chosen to be replaced or appended to. Please choose a layer.",
    ),
    "err.upload_role_column": (
        "Die Spalte „{column}“ für die Rolle „{role}“ gibt es in den Daten nicht. Bitte wählen Sie "
        "eine dieser Spalten: {columns}.",
        "The column “{column}” for the role “{role}” does not exist in the data. Please choose one "
        "of these columns: {columns}.",
    ),
    "err.auth_password_mismatch": (
        "Die beiden Passwörter stimmen nicht überein. Bitte geben Sie das Passwort zweimal gleich ein.",
        "The two passwords do not match. Please enter the same password twice.",
    ),
    "err.gtfs_missing_file": (
        "Im GTFS-Fahrplan „{name}“ fehlt die Datei „{file}“. Bitte laden Sie den vollständigen Feed hoch "
        "(stops.txt, stop_times.txt, trips.txt, routes.txt und calendar.txt oder calendar_dates.txt).",
        "The file “{file}” is missing from the GTFS feed “{name}”. Please upload the complete feed "
        "(stops.txt, stop_times.txt, trips.txt, routes.txt and calendar.txt or calendar_dates.txt).",
    ),
    "err.gtfs_missing_columns": (
        "In „{file}“ des GTFS-Fahrplans „{name}“ fehlen die Spalten {columns}. Bitte prüfen Sie die "
        "Kopfzeile der Datei oder exportieren Sie den Feed erneut.",
        "The columns {columns} are missing from “{file}” in the GTFS feed “{name}”. Please check the "
        "file's header line or export the feed again.",
    ),
    "err.gtfs_bad_values": (
        "In „{file}“ des GTFS-Fahrplans „{name}“ hat die Spalte „{column}“ {count} ungültige Werte "
        "(z. B. „{example}“, erwartet: {expected}). Bitte korrigieren Sie die Datei.",
        "In “{file}” of the GTFS feed “{name}”, the column “{column}” has {count} invalid values "
        "(e.g. “{example}”, expected: {expected}). Please correct the file.",
    ),
    "err.gtfs_bad_csv": (
        "Die Datei „{file}“ im GTFS-Fahrplan „{name}“ ist keine lesbare CSV-Datei. Bitte exportieren "
        "Sie den Feed erneut (Komma als Trennzeichen, UTF-8).",
        "The file “{file}” in the GTFS feed “{name}” is not a readable CSV file. Please export the "
        "feed again (comma-separated, UTF-8).",
    ),
    "err.gtfs_no_stops": (
        "Der GTFS-Fahrplan „{name}“ enthält keine Haltestelle mit Koordinaten. Bitte prüfen Sie "
        "stops.txt (Spalten stop_lat und stop_lon).",
        "The GTFS feed “{name}” contains no stop with coordinates. Please check stops.txt (columns "
        "stop_lat and stop_lon).",
    ),
    "err.document_name": (
        "„{name}“ ist kein gültiger Name. Erlaubt sind Kleinbuchstaben, Ziffern, „-“ und „_“.",
        "“{name}” is not a valid name. Use lowercase letters, digits, “-” and “_”.",
    ),
    "err.station_title": (
        "Bitte geben Sie der Station einen Titel.",
        "Please give the station a title.",
    ),
    "err.station_too_long": (
        "Der Text ist zu lang: höchstens {max_title} Zeichen für den Titel und {max_text} für den "
        "Text, damit er auf dem Beamer lesbar bleibt.",
        "The text is too long: at most {max_title} characters for the title and {max_text} for the "
        "text, so it stays readable on a projector.",
    ),
    "err.part_question_empty": (
        "Die Frage der Beteiligung ist leer. Bitte geben Sie eine Frage ein, z. B. „Wo fehlt ein "
        "Coworking-Space?“.",
        "The question of the round is empty. Please enter a question, "
        "e.g. “Where is a coworking space missing?”.",
    ),
    "err.part_question_too_long": (
        "Die Frage ist zu lang (höchstens {limit} Zeichen). Bitte kürzen Sie sie.",
        "The question is too long (at most {limit} characters). Please shorten it.",
    ),
    "err.part_categories": (
        "Bitte geben Sie 1 bis {limit} Kategorien an, eine pro Zeile, jede höchstens {chars} Zeichen lang.",
        "Please give 1 to {limit} categories, one per line, each at most {chars} characters long.",
    ),
    "err.part_bad_extent": (
        "Das Gebiet der Beteiligung ist ungültig. Bitte wählen Sie eine Ebene oder geben Sie Längen- und "
        "Breitengrade mit West < Ost und Süd < Nord ein.",
        "The area of the round is invalid. Please choose a layer or enter longitudes and latitudes with "
        "west < east and south < north.",
    ),
    "err.part_bad_period": (
        "Das Ende ({end}) liegt nicht nach dem Beginn ({start}). Bitte wählen Sie ein späteres Ende.",
        "The end ({end}) is not after the start ({start}). Please choose a later end.",
    ),
    "err.part_bad_limits": (
        "Die Grenzen der Beteiligung sind ungültig: Textlänge 1 bis {max_text} Zeichen, Beiträge pro "
        "Gerät, Zeitfenster und Obergrenze jeweils mindestens 1.",
        "The limits of the round are invalid: text length 1 to {max_text} characters, contributions per "
        "device, time window and cap each at least 1.",
    ),
    "err.part_closed": (
        "Diese Beteiligung wurde beendet, Beiträge und „+1“ sind nicht mehr möglich. Danke fürs Mitmachen!",
        "This round has been closed; contributions and “+1” are no "
        "longer possible. Thank you for taking part!",
    ),
    "err.part_not_started": (
        "Diese Beteiligung beginnt erst am {start} Uhr. Bitte versuchen Sie es dann noch einmal.",
        "This round only starts on {start}. Please try again then.",
    ),
    "err.part_ended": (
        "Diese Beteiligung ist am {end} Uhr zu Ende gegangen, es werden keine Beiträge mehr angenommen.",
        "This round ended on {end}; no more contributions are accepted.",
    ),
    "err.part_no_location": (
        "Es ist noch kein Ort gewählt. Bitte tippen Sie auf die Karte, wo Ihr Beitrag hingehört.",
        "No place has been chosen yet. Please tap the map where your contribution belongs.",
    ),
    "err.part_outside_extent": (
        "Der gewählte Ort liegt außerhalb des Gebiets dieser Beteiligung (blauer Rahmen). Bitte tippen "
        "Sie auf einen Ort innerhalb des Rahmens.",
        "The chosen place lies outside the area of this round (blue "
        "frame). Please tap a place inside the frame.",
    ),
    "err.part_unknown_category": (
        "Die Kategorie „{category}“ gibt es in dieser Beteiligung "
        "nicht. Bitte wählen Sie eine von: {allowed}.",
        "The category “{category}” does not exist in this round. Please choose one of: {allowed}.",
    ),
    "err.part_text_empty": (
        "Der Text ist leer. Bitte schreiben Sie kurz, was Sie sich wünschen.",
        "The text is empty. Please write briefly what you would like.",
    ),
    "err.part_text_too_long": (
        "Der Text ist mit {length} Zeichen zu lang (höchstens {limit}). Bitte kürzen Sie ihn.",
        "The text is {length} characters long, too long (at most {limit}). Please shorten it.",
    ),
    "err.part_cap_reached": (
        "Diese Beteiligung hat die Höchstzahl von {cap} Beiträgen erreicht. Sie können aber bestehende "
        "Beiträge mit „+1“ unterstützen.",
        "This round has reached its maximum of {cap} contributions. You can still support existing "
        "contributions with “+1”.",
    ),
    "err.part_rate_limit": (
        "Von diesem Gerät kamen schon {limit} Beiträge in den letzten {minutes} Minuten. Bitte warten Sie "
        "etwas, bevor Sie weitere senden.",
        "This device has already sent {limit} contributions in the last {minutes} minutes. Please wait a "
        "little before sending more.",
    ),
    "err.part_already_supported": (
        "Sie haben diesen Beitrag schon mit „+1“ unterstützt; jedes Gerät zählt einmal.",
        "You have already supported this contribution with “+1”; each device counts once.",
    ),
    "err.part_contribution_not_found": (
        "Den Beitrag {id} gibt es nicht (mehr). Bitte laden Sie die Seite neu.",
        "The contribution {id} does not exist (any more). Please reload the page.",
    ),
    "err.part_round_not_found": (
        "Die Beteiligung „{round_id}“ gibt es nicht. Bitte scannen Sie "
        "den QR-Code erneut oder prüfen Sie den Link.",
        "The round “{round_id}” does not exist. Please scan the QR code again or check the link.",
    ),
    "err.part_round_open": (
        "Die Beteiligung läuft noch. Bitte beenden Sie sie zuerst, "
        "dann kann sie als Ebene übernommen werden.",
        "The round is still running. Please close it first, then it can be turned into a layer.",
    ),
    "err.part_no_contributions": (
        "Diese Beteiligung hat keine sichtbaren Beiträge, daraus lässt sich keine Ebene machen.",
        "This round has no visible contributions, so no layer can be made from it.",
    ),
    "err.metadata_unchanged": (
        "An der Ebene „{layer_id}“ wurde nichts geändert. Bitte ändern Sie zuerst ein Feld und "
        "speichern Sie dann.",
        "Nothing was changed on the layer “{layer_id}”. Please change a field first, then save.",
    ),
    "err.coordinates_out_of_range": (
        "Die Koordinaten in „{name}“ liegen außerhalb des Koordinatensystems {crs}. Prüfen Sie, ob "
        "das richtige Koordinatensystem angegeben ist, und laden Sie die Datei erneut hoch.",
        "The coordinates in “{name}” lie outside the coordinate system {crs}. Check that the right "
        "coordinate system is given and upload the file again.",
    ),
    "err.service_bad_url": (
        "„{url}“ ist keine Dienst-Adresse. Bitte geben Sie die vollständige Adresse eines WFS oder "
        "einer OGC API – Features an, beginnend mit http:// oder https://.",
        "“{url}” is not a service address. Please give the full address of a WFS or an OGC API – "
        "Features service, starting with http:// or https://.",
    ),
    "err.service_unreachable": (
        "Der Dienst „{url}“ ist nicht erreichbar ({reason}). Bitte prüfen Sie die Adresse und ob der "
        "Server läuft, und versuchen Sie es erneut.",
        "The service “{url}” cannot be reached ({reason}). Please check the address and whether the "
        "server is running, then try again.",
    ),
    "err.service_not_ogc": (
        "Unter „{url}“ antwortet kein WFS und keine OGC API – Features. Bitte geben Sie die "
        "Startseite des Dienstes an (bei OGC API die Adresse vor /collections, bei WFS die "
        "Adresse mit SERVICE=WFS).",
        "“{url}” does not answer as a WFS or an OGC API – Features service. Please give the "
        "service's start address (for OGC API the address before /collections, for WFS the "
        "address with SERVICE=WFS).",
    ),
    "err.service_choose_layer": (
        "Der Dienst „{url}“ bietet mehrere Ebenen an: {available}. Bitte wählen Sie eine aus "
        "(Kommandozeile: --layer NAME).",
        "The service “{url}” offers several layers: {available}. Please choose one "
        "(command line: --layer NAME).",
    ),
    "err.service_layer_unknown": (
        "Der Dienst „{url}“ hat keine Ebene „{layer}“. Verfügbar sind: {available}.",
        "The service “{url}” has no layer “{layer}”. Available: {available}.",
    ),
    "err.service_read_failed": (
        "Die Ebene „{layer}“ des Dienstes „{url}“ konnte nicht gelesen werden ({reason}). Bitte "
        "versuchen Sie es später erneut oder fragen Sie den Betreiber des Dienstes.",
        "The layer “{layer}” of the service “{url}” could not be read ({reason}). Please try again "
        "later or ask the service's operator.",
    ),
    # --- end of error texts ---
}

_UI: dict[str, tuple[str, str]] = {
    "ui.app_title": ("Smart-Region Geodaten-Dashboard", "Smart-Region Geodata Dashboard"),
    "ui.language": ("Sprache", "Language"),
    "ui.demo_notice": (
        "Demodaten: schematische Gemeindegrenzen und erfundene Angebote, nur zur Vorführung.",
        "Demo data: schematic municipal boundaries and invented offers, for demonstration only.",
    ),
    "kind.municipalities": ("Gemeinden", "Municipalities"),
    "kind.coworking": ("Coworking", "Coworking"),
    "kind.mobility": ("Mobilität", "Mobility"),
    "kind.events": ("Veranstaltungen", "Events"),
    "kind.other": ("Weitere", "Other"),
    "report.read": ("Objekte gelesen", "features read"),
    "report.stored": ("Objekte gespeichert", "features stored"),
    "report.repaired": ("Geometrien repariert", "geometries repaired"),
    "report.dropped": ("Objekte verworfen", "features dropped"),
    "report.crs": ("Quell-Koordinatensystem", "source CRS"),
    "report.warnings": ("Hinweise", "warnings"),
    "ui.name": ("Name", "Name"),
    "ui.type": ("Typ", "Type"),
    "ui.map": ("Karte", "Map"),
    "ui.basemap": ("Hintergrundkarte", "Basemap"),
    "ui.layers": ("Ebenen", "Layers"),
    "ui.no_layers": (
        "Noch keine Ebenen gespeichert. Importieren Sie Daten mit „python -m geo import DATEI“ "
        "oder laden Sie die Demodaten mit „python -m geo demo“.",
        "No layers stored yet. Import data with “python -m geo import FILE” or load the demo "
        "data with “python -m geo demo”.",
    ),
    "ui.features": ("Objekte", "features"),
    "ui.unexpected_error": (
        "Ein unerwarteter Fehler ist aufgetreten. Bitte laden Sie die Seite neu; wenn der Fehler "
        "bleibt, melden Sie ihn der IT (Zeitpunkt: {at}).",
        "An unexpected error occurred. Please reload the page; if it persists, report it to IT (time: {at}).",
    ),
    "basemap.farbe": ("basemap.de (Farbe)", "basemap.de (colour)"),
    "basemap.grau": ("basemap.de (Grau)", "basemap.de (grey)"),
    "basemap.topplus": ("TopPlusOpen", "TopPlusOpen"),
    "basemap.osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap.none": ("Ohne Hintergrund (offline)", "No basemap (offline)"),
    "ind.key": ("Schlüssel", "Key"),
    "ind.name": ("Gemeinde", "Municipality"),
    "ind.population": ("Einwohner", "Population"),
    "ind.area_km2": ("Fläche (km²)", "Area (km²)"),
    "ind.density": ("Einwohner je km²", "Inhabitants per km²"),
    "ind.count": ("{kind}: Anzahl", "{kind}: count"),
    "ind.per_10k": ("{kind} je 10.000 Einwohner", "{kind} per 10,000 inhabitants"),
    "ind.per_km2": ("{kind} je km²", "{kind} per km²"),
    "ind.nearest_km": (
        "{kind}: Entfernung vom Zentrum zum nächsten (km)",
        "{kind}: distance from centre to nearest (km)",
    ),
    "ind.covered_km2": ("Erreichbare Fläche (km²)", "Area within reach (km²)"),
    "ind.area_share": ("Anteil der Fläche in Reichweite", "Share of area within reach"),
    "ind.covered_population": ("Einwohner in Reichweite", "Inhabitants within reach"),
    "ind.population_share": ("Anteil der Einwohner in Reichweite", "Share of inhabitants within reach"),
    "ind.white_km2": ("Weiße Flecken (km²)", "White spots (km²)"),
    "ind.area_share_before": ("Flächenanteil vorher", "Area share before"),
    "ind.area_share_after": ("Flächenanteil nachher", "Area share after"),
    "ind.area_gain_km2": ("Zusätzlich erreichbare Fläche (km²)", "Additional area within reach (km²)"),
    "ind.population_gain": ("Zusätzlich erreichbare Einwohner", "Additional inhabitants within reach"),
    "offer.coworking": ("Coworking-Spaces", "Coworking spaces"),
    "offer.station": ("Bahnhöfe", "Train stations"),
    "offer.bus_stop": ("Bushaltestellen", "Bus stops"),
    "offer.charging": ("Ladepunkte", "Charging points"),
    "offer.mobility": ("Mobilitätsangebote", "Mobility offers"),
    "offer.events": ("Veranstaltungen", "Events"),
    "ana.note_straight_line": (
        "Entfernungen sind Luftlinien, gemessen in {crs}; Wege über Straßen sind länger.",
        "Distances are straight lines measured in {crs}; routes by road are longer.",
    ),
    "ana.note_even_spread": (
        "Der Einwohneranteil nimmt an, dass die Menschen gleichmäßig über die Gemeindefläche "
        "verteilt wohnen.",
        "The population share assumes people live evenly spread over the municipality's area.",
    ),
    "ana.note_no_population": (
        "Für {count} Gemeinden ist keine Einwohnerzahl hinterlegt; dort werden nur Flächenanteile gezeigt.",
        "{count} municipalities have no population; only area shares are shown for them.",
    ),
    "ana.note_centre": (
        "Entfernungen gelten ab dem Flächenschwerpunkt der Gemeinde (liegt er außerhalb, ab einem "
        "Punkt in der Gemeinde).",
        "Distances are measured from the municipality's centroid (or a point inside it where the "
        "centroid lies outside).",
    ),
    "ana.no_data": ("keine Daten", "no data"),
    "drop.null_geometry": ("{count} Objekte ohne Geometrie", "{count} features without geometry"),
    "drop.empty_geometry": (
        "{count} Objekte mit leerer Geometrie",
        "{count} features with an empty geometry",
    ),
    "drop.no_coordinates": (
        "{count} Zeilen ohne lesbare Koordinaten",
        "{count} rows without readable coordinates",
    ),
    "drop.invalid_after_repair": (
        "{count} Objekte mit nicht reparierbarer Geometrie",
        "{count} features whose geometry could not be repaired",
    ),
    "drop.bad_row": ("{count} Zeilen mit zu vielen Spalten", "{count} rows with too many columns"),
    "warn.assumed_wgs84": (
        "Die Datei nennt kein Koordinatensystem; die Werte liegen im Bereich geografischer Länge/Breite "
        "und wurden als WGS 84 (EPSG:4326) gelesen. Stimmt das nicht, geben Sie das System an.",
        "The file names no coordinate system; the values lie within longitude/latitude ranges and were "
        "read as WGS 84 (EPSG:4326). If that is wrong, please state the system.",
    ),
    "warn.z_dropped": (
        "Höhen- bzw. Messwerte (Z/M) wurden entfernt; gespeichert wird nur die Lage (2D).",
        "Height/measure values (Z/M) were removed; only the 2D position is stored.",
    ),
    "warn.curves_linearised": (
        "Kurvengeometrien (Kreisbögen) wurden in Linienzüge umgewandelt.",
        "Curved geometries (arcs) were converted into line strings.",
    ),
    "warn.skipped_layer": (
        "Die Ebene „{layer}“ wurde übersprungen ({reason}).",
        "The layer “{layer}” was skipped ({reason}).",
    ),
    "warn.collections_simplified": (
        "{count} Geometriesammlungen wurden auf ihre Hauptbestandteile reduziert (z. B. Flächen ohne "
        "Beschriftungspunkte).",
        "{count} geometry collections were reduced to their main parts (e.g. areas without label points).",
    ),
    "warn.crs_overridden": (
        "Das Koordinatensystem der Datei ({old}) wurde wie angegeben durch {new} ersetzt; die Koordinaten "
        "wurden nicht umgerechnet.",
        "The file's coordinate system ({old}) was replaced by {new} as requested; coordinates were not "
        "transformed.",
    ),
    "warn.columns_renamed": ("Spalten wurden umbenannt: {columns}.", "Columns were renamed: {columns}."),
    "skip.no_geometry": ("keine Geometriespalte", "no geometry column"),
    "skip.no_features": ("keine Objekte", "no features"),
    "skip.all_dropped": ("keine gültigen Geometrien", "no valid geometries"),
    "skip.unreadable": ("nicht lesbar", "unreadable"),
    "field.GEN": ("Name", "Name"),
    "field.AGS": ("Amtlicher Gemeindeschlüssel (AGS)", "Official municipality key (AGS)"),
    "field.ARS": ("Regionalschlüssel (ARS)", "Regional key (ARS)"),
    "field.BEZ": ("Bezeichnung", "Designation"),
    "field.EWZ": ("Einwohner", "Population"),
    "field.name": ("Name", "Name"),
    "ui.attribution_hint": ("Quellenangaben: klicken zum Aufklappen", "Sources: click to expand"),
    "field.category": ("Art", "Type"),
    "field.start": ("Beginn", "Start"),
    "field.end": ("Ende", "End"),
    "field.population": ("Einwohner", "Population"),
    "field.url": ("Webseite", "Website"),
    "field.operator": ("Betreiber", "Operator"),
    "field.venue": ("Ort", "Venue"),
    "field.organiser": ("Veranstalter", "Organiser"),
    "field.address": ("Adresse", "Address"),
    "field.title": ("Titel", "Title"),
    "ui.no_category": ("ohne Kategorie", "no category"),
    "ui.legend": ("Legende", "Legend"),
    "ui.search": ("Suche nach Gemeinde oder Name", "Search municipality or name"),
    "ui.search_hits": ("Treffer", "Results"),
    "ui.search_none": (
        "Keine Treffer für „{query}“ in den sichtbaren Ebenen.",
        "No results for “{query}” in the visible layers.",
    ),
    "ui.filters": ("Filter", "Filters"),
    "ui.filter_municipalities": ("Nur in Gemeinden", "Only in municipalities"),
    "ui.filter_categories": ("Kategorien: {layer}", "Categories: {layer}"),
    "ui.date_from": ("Veranstaltungen ab", "Events from"),
    "ui.date_to": ("Veranstaltungen bis", "Events until"),
    "ui.details": ("Details", "Details"),
    "ui.details_empty": (
        "Klicken Sie auf ein Objekt in der Karte oder wählen Sie einen Suchtreffer, "
        "um hier alle Angaben zu sehen.",
        "Click a feature on the map or pick a search result to see all its attributes here.",
    ),
    "ui.in_municipality": ("Liegt in", "Located in"),
    "ui.zoom_here": ("Hierhin zoomen", "Zoom here"),
    "ui.table": ("Tabelle", "Table"),
    "ui.table_layer": ("Ebene für Tabelle und Download", "Layer for table and download"),
    "ui.download": ("Herunterladen: {fmt}", "Download: {fmt}"),
    "ui.download_map": ("Karte als HTML-Datei", "Map as HTML file"),
    "ui.share": ("Teilen", "Share"),
    "ui.share_help": ("Dieser Link öffnet genau diese Ansicht:", "This link opens exactly this view:"),
    "ui.qr_alt": ("QR-Code des Links zu dieser Ansicht", "QR code of the link to this view"),
    "ui.no_visible_layers": (
        "Keine Ebene eingeschaltet. Wählen Sie links Ebenen aus.",
        "No layer switched on. Choose layers on the left.",
    ),
    "ui.shown": ("{shown} von {total} angezeigt", "{shown} of {total} shown"),
    "ui.choose": ("Bitte auswählen", "Please choose"),
    "cat.bahnhof": ("Bahnhof", "Train station"),
    "cat.bushaltestelle": ("Bushaltestelle", "Bus stop"),
    "cat.rufbus": ("Rufbus/On-Demand-Gebiet", "On-demand bus area"),
    "cat.carsharing": ("Carsharing", "Car sharing"),
    "cat.leihrad": ("Leihrad", "Bike rental"),
    "cat.ladepunkt": ("Ladepunkt", "Charging point"),
    "cat.mitfahrbank": ("Mitfahrbank", "Ride-sharing bench"),
    "cat.coworking": ("Coworking-Space", "Coworking space"),
    "ui.auth.sign_in_title": ("Anmelden für Planer", "Planner sign-in"),
    "ui.auth.username": ("Benutzername", "User name"),
    "ui.auth.password": ("Passwort", "Password"),
    "ui.auth.submit": ("Anmelden", "Sign in"),
    "ui.auth.signed_in": ("Angemeldet als {user}", "Signed in as {user}"),
    "ui.auth.sign_out": ("Abmelden", "Sign out"),
    "ui.auth.refused": (
        "Diese Seite ist nur für angemeldete Planerinnen und Planer. Bitte melden Sie sich an; "
        "Konten vergibt die IT.",
        "This page is for signed-in planners only. Please sign in; IT hands out accounts.",
    ),
    "ui.upload.title": ("Daten hochladen", "Upload data"),
    "ui.upload.file": (
        "Datei: GeoPackage, GeoJSON, KML, ZIP mit Shapefile oder CSV mit Koordinaten (höchstens {limit} MB)",
        "File: GeoPackage, GeoJSON, KML, zipped Shapefile or CSV with coordinates (at most {limit} MB)",
    ),
    "ui.upload.layer": ("Ebene in der Datei", "Layer in the file"),
    "ui.upload.layer_option": (
        "{name} ({geometry}, {count} Objekte)",
        "{name} ({geometry}, {count} features)",
    ),
    "ui.upload.crs": ("Koordinatensystem (EPSG-Code)", "Coordinate system (EPSG code)"),
    "ui.upload.crs_help": (
        "Nur nötig, wenn die Datei keins nennt oder ein falsches, z. B. 25832 (UTM 32N), 25833 "
        "(UTM 33N) oder 4326 (Länge/Breite). Die Koordinaten werden nicht umgerechnet.",
        "Only needed when the file names none or a wrong one, e.g. 25832 (UTM 32N), 25833 (UTM 33N) "
        "or 4326 (lon/lat). Coordinates are not transformed.",
    ),
    "ui.upload.x": ("CSV: Spalte mit Rechtswert bzw. Länge", "CSV: column with easting or longitude"),
    "ui.upload.y": ("CSV: Spalte mit Hochwert bzw. Breite", "CSV: column with northing or latitude"),
    "ui.upload.reading": ("Datei „{name}“ wird gelesen …", "Reading file “{name}” …"),
    "ui.upload.read_done": ("„{name}“ gelesen: {count} Objekte", "“{name}” read: {count} features"),
    "ui.upload.read_failed": ("„{name}“ konnte nicht gelesen werden", "“{name}” could not be read"),
    "ui.upload.preview": ("Vorschau (noch nicht gespeichert)", "Preview (not stored yet)"),
    "ui.upload.rows": ("Erste {shown} von {total} Zeilen", "First {shown} of {total} rows"),
    "ui.upload.report": ("Importbericht", "Import report"),
    "ui.upload.dropped_none": ("Keine Objekte verworfen.", "No features dropped."),
    "ui.upload.action": ("Was soll mit den Daten geschehen?", "What should happen with the data?"),
    "ui.upload.action_new": ("Als neue Ebene speichern", "Store as a new layer"),
    "ui.upload.action_replace": (
        "Bestehende Ebene ersetzen (neue Version)",
        "Replace an existing layer (new version)",
    ),
    "ui.upload.action_append": ("An Ebene anhängen", "Append to a layer"),
    "ui.upload.target": ("Ebene", "Layer"),
    "ui.upload.keep_meta": (
        "Titel, Art und Spaltenrollen der Ebene bleiben; ändern Sie sie unter „Ebenen verwalten“. "
        "Frühere Versionen bleiben wiederherstellbar.",
        "The layer's title, kind and column roles stay; change them under “Manage layers”. Earlier "
        "versions stay restorable.",
    ),
    "ui.upload.layer_title": ("Titel", "Title"),
    "ui.upload.kind": ("Art", "Kind"),
    "ui.upload.attribution": ("Quelle und Lizenz (Namensnennung)", "Source and licence (attribution)"),
    "ui.upload.attribution_help": (
        "Wird auf der Karte angezeigt. Für amtliche Verwaltungsgrenzen (VG250/VG5000): "
        "„© GeoBasis-DE / BKG Jahr“.",
        "Shown on the map. For official boundaries (VG250/VG5000): “© GeoBasis-DE / BKG year”.",
    ),
    "ui.upload.roles": ("Spaltenrollen", "Column roles"),
    "ui.upload.role_none": ("– keine –", "– none –"),
    "ui.upload.save": ("Speichern", "Store"),
    "ui.upload.saving": ("Wird gespeichert …", "Storing …"),
    "ui.upload.saved": (
        "Gespeichert: „{title}“ ({layer_id}), Version {version}, {count} Objekte.",
        "Stored: “{title}” ({layer_id}), version {version}, {count} features.",
    ),
    "ui.upload.to_map": ("Zur Karte", "Go to the map"),
    "role.name": ("Name", "Name"),
    "role.category": ("Kategorie / Typ", "Category / type"),
    "role.key": ("Schlüssel (z. B. AGS)", "Key (e.g. AGS)"),
    "role.population": ("Einwohnerzahl (Gemeinden)", "Population (municipalities)"),
    "role.start": ("Beginn (Veranstaltungen)", "Start (events)"),
    "role.end": ("Ende (Veranstaltungen)", "End (events)"),
    "ui.manage.title": ("Ebenen verwalten", "Manage layers"),
    "ui.manage.no_layers": (
        "Keine Ebenen vorhanden. Laden Sie unter „Daten hochladen“ Daten hoch.",
        "No layers yet. Upload data under “Upload data”.",
    ),
    "ui.manage.col_id": ("Kennung", "ID"),
    "ui.manage.col_title": ("Titel", "Title"),
    "ui.manage.col_kind": ("Art", "Kind"),
    "ui.manage.col_count": ("Objekte", "Features"),
    "ui.manage.col_version": ("Version", "Version"),
    "ui.manage.col_changed": ("Letzte Änderung", "Last change"),
    "ui.manage.col_by": ("von", "by"),
    "ui.manage.select": ("Ebene bearbeiten", "Edit layer"),
    "ui.manage.tab_meta": ("Metadaten und Stil", "Metadata and style"),
    "ui.manage.tab_versions": ("Versionen", "Versions"),
    "ui.manage.tab_delete": ("Löschen", "Delete"),
    "ui.manage.colour": ("Farbe", "Colour"),
    "ui.manage.symbol": ("Punktsymbol", "Point symbol"),
    "ui.manage.category": ("Kategorie-Attribut (Einfärbung)", "Category attribute (colouring)"),
    "ui.manage.save_meta": ("Änderungen speichern", "Save changes"),
    "ui.manage.meta_saved": ("Änderungen an „{layer_id}“ gespeichert.", "Changes to “{layer_id}” saved."),
    "ui.manage.restore_pick": ("Version", "Version"),
    "ui.manage.restore": ("Diese Version wiederherstellen", "Restore this version"),
    "ui.manage.restored": (
        "Version {old} von „{layer_id}“ ist jetzt die aktuelle Version {version} ({count} Objekte).",
        "Version {old} of “{layer_id}” is now the current version {version} ({count} features).",
    ),
    "ui.manage.delete_confirm": (
        "Ja, „{title}“ in den Papierkorb verschieben",
        "Yes, move “{title}” to the trash",
    ),
    "ui.manage.delete": ("In den Papierkorb", "Move to trash"),
    "ui.manage.deleted": (
        "„{layer_id}“ liegt jetzt im Papierkorb und kann dort wiederhergestellt werden.",
        "“{layer_id}” is now in the trash and can be restored from there.",
    ),
    "ui.manage.trash": ("Papierkorb", "Trash"),
    "ui.manage.trash_empty": ("Der Papierkorb ist leer.", "The trash is empty."),
    "ui.manage.undelete": ("Wiederherstellen", "Restore"),
    "ui.manage.undeleted": ("„{layer_id}“ ist wiederhergestellt.", "“{layer_id}” has been restored."),
    "ui.manage.audit": ("Änderungsprotokoll", "Audit log"),
    "ui.manage.audit_download": ("Protokoll als CSV herunterladen", "Download log as CSV"),
    "symbol.circle": ("Kreis", "Circle"),
    "symbol.square": ("Quadrat", "Square"),
    "symbol.triangle": ("Dreieck", "Triangle"),
    "symbol.diamond": ("Raute", "Diamond"),
    "ui.audit.col_at": ("Zeitpunkt", "Time"),
    "ui.audit.col_user": ("Person", "User"),
    "ui.audit.col_action": ("Aktion", "Action"),
    "ui.audit.col_layer": ("Ebene", "Layer"),
    "ui.audit.col_version": ("Version", "Version"),
    "ui.audit.col_file": ("Datei", "File"),
    "ui.audit.col_detail": ("Details", "Details"),
    "ui.audit.create": ("angelegt", "created"),
    "ui.audit.replace": ("ersetzt", "replaced"),
    "ui.audit.append": ("ergänzt", "appended"),
    "ui.audit.restore": ("Version wiederhergestellt", "version restored"),
    "ui.audit.delete": ("in den Papierkorb", "moved to trash"),
    "ui.audit.undelete": ("aus dem Papierkorb geholt", "restored from trash"),
    "ui.audit.metadata": ("Metadaten geändert", "metadata changed"),
    "ui.events.title": ("Veranstaltungen", "Events"),
    "ui.events.layer": ("Veranstaltungsebene", "Events layer"),
    "ui.events.range": ("Zeitraum", "Period"),
    "ui.events.in_range": (
        "{count} Veranstaltungen im gewählten Zeitraum ({start} bis {end})",
        "{count} events in the chosen period ({start} to {end})",
    ),
    "ui.events.upcoming": ("Kommende ({count})", "Upcoming ({count})"),
    "ui.events.past": ("Vergangene ({count})", "Past ({count})"),
    "ui.events.none": (
        "Keine Veranstaltungen in diesem Zeitraum. Verschieben Sie den Zeitraum mit dem Regler.",
        "No events in this period. Move the period with the slider.",
    ),
    "ui.events.no_layer": (
        "Es gibt noch keine Ebene der Art „Veranstaltungen“. Laden Sie eine hoch und ordnen Sie "
        "Beginn und Ende zu.",
        "There is no layer of the kind “Events” yet. Upload one and assign start and end.",
    ),
    "ui.events.no_dates": (
        "Die Ebene „{layer}“ hat keine Spalte mit der Rolle „Beginn“ oder keine lesbaren Daten. Bitte "
        "ordnen Sie unter „Ebenen verwalten“ die Beginn-Spalte zu.",
        "The layer “{layer}” has no column with the role “Start” or no readable dates. Please assign "
        "the start column under “Manage layers”.",
    ),
    "ui.events.timeline": ("Veranstaltungen je Woche", "Events per week"),
    "ui.events.week": ("Woche ab", "Week from"),
    "ui.events.count": ("Anzahl", "Count"),
    "ui.events.status_upcoming": ("kommend", "upcoming"),
    "ui.events.status_past": ("vergangen", "past"),
    "ui.events.ics": ("Als Kalender (.ics)", "As calendar (.ics)"),
    "ui.events.ics_help": (
        "Die Veranstaltungen im gewählten Zeitraum als Kalenderdatei für Outlook, Thunderbird, "
        "Apple- oder Google-Kalender.",
        "The events in the chosen period as a calendar file for Outlook, Thunderbird, Apple or "
        "Google Calendar.",
    ),
    "ui.events.show": ("Auf der Karte zeigen", "Show on map"),
    "ui.events.pick": ("Veranstaltung auf der Karte", "Event on the map"),
    "ui.events.pick_none": ("– keine –", "– none –"),
    "ui.events.when": ("Wann", "When"),
    "ui.events.where": ("Wo", "Where"),
    "ui.events.organiser": ("Veranstalter", "Organiser"),
    "ui.events.link": ("Link", "Link"),
    "ui.events.kind": ("Art", "Type"),
    "month.1": ("Januar", "January"),
    "month.2": ("Februar", "February"),
    "month.3": ("März", "March"),
    "month.4": ("April", "April"),
    "month.5": ("Mai", "May"),
    "month.6": ("Juni", "June"),
    "month.7": ("Juli", "July"),
    "month.8": ("August", "August"),
    "month.9": ("September", "September"),
    "month.10": ("Oktober", "October"),
    "month.11": ("November", "November"),
    "month.12": ("Dezember", "December"),
    "weekday.0": ("Mo", "Mon"),
    "weekday.1": ("Di", "Tue"),
    "weekday.2": ("Mi", "Wed"),
    "weekday.3": ("Do", "Thu"),
    "weekday.4": ("Fr", "Fri"),
    "weekday.5": ("Sa", "Sat"),
    "weekday.6": ("So", "Sun"),
    "cat.faehre": ("Fähranleger", "Ferry pier"),
    "warn.gtfs_week": (
        "Abfahrten je Wochentag gelten für die Woche vom {start} bis {end}: die fahrtenreichste der "
        "ersten Fahrplanwochen, mit den Ausnahmen aus calendar_dates.txt.",
        "Departures per weekday are for the week from {start} to {end}: the busiest of the timetable's "
        "first weeks, including the exceptions from calendar_dates.txt.",
    ),
    "warn.gtfs_merged": (
        "{count} Steige und Haltepunkte wurden ihrer Station zugeordnet und dort zusammengezählt.",
        "{count} platforms and stopping points were merged into their station and counted there.",
    ),
    "warn.gtfs_skipped_nodes": (
        "{count} Eingänge, Wegknoten und Einstiegsbereiche wurden nicht als Haltestellen übernommen.",
        "{count} entrances, pathway nodes and boarding areas were not taken over as stops.",
    ),
    "warn.gtfs_unknown_refs": (
        "{count} Zeilen in stop_times.txt verweisen auf unbekannte Haltestellen oder Fahrten und "
        "wurden nicht gezählt.",
        "{count} rows in stop_times.txt refer to unknown stops or trips and were not counted.",
    ),
    "ui.forum.title": ("Forum-Modus", "Forum mode"),
    "ui.forum.empty": (
        "Für den Forum-Modus gibt es noch keine Stationen. Planer legen sie unter „Führung bearbeiten“ an.",
        "There are no stations for forum mode yet. Planners create them under “Edit tour”.",
    ),
    "ui.forum.back": ("Zurück", "Back"),
    "ui.forum.next": ("Weiter", "Next"),
    "ui.forum.play": ("▶ Automatisch", "▶ Auto-play"),
    "ui.forum.pause": ("⏸ Pause", "⏸ Pause"),
    "ui.forum.progress": ("Station {n} von {total}", "Station {n} of {total}"),
    "ui.forum.qr": ("Diese Ansicht auf dem Handy öffnen", "Open this view on your phone"),
    "ui.tour.title": ("Führung bearbeiten", "Edit tour"),
    "ui.tour.help": (
        "Stationen der Führung im Forum-Modus: Titel, zwei, drei Zeilen Text und eine Kartenansicht. "
        "Eine Ansicht übernehmen Sie am einfachsten mit dem „Teilen“-Link der Karte.",
        "Stations of the forum-mode tour: a title, two or three lines of text and a map view. The "
        "easiest way to take a view is the map's “Share” link.",
    ),
    "ui.tour.stations": ("Stationen", "Stations"),
    "ui.tour.up": ("Nach oben", "Move up"),
    "ui.tour.down": ("Nach unten", "Move down"),
    "ui.tour.edit": ("Bearbeiten", "Edit"),
    "ui.tour.delete": (
        "Entfernen (frühere Fassungen bleiben gespeichert)",
        "Remove (earlier versions stay stored)",
    ),
    "ui.tour.new_station": ("Neue Station", "New station"),
    "ui.tour.edit_station": ("Station bearbeiten", "Edit station"),
    "ui.tour.station_title": ("Titel", "Title"),
    "ui.tour.station_text": ("Text (zwei, drei Zeilen)", "Text (two or three lines)"),
    "ui.tour.link": ("Kartenansicht aus „Teilen“-Link (optional)", "Map view from a “Share” link (optional)"),
    "ui.tour.link_help": (
        "Fügen Sie den Link aus „Teilen“ auf der Karte ein: Ebenen, Ausschnitt und Filter werden übernommen. "
        "Ohne Link gelten die Ebenen und die Hintergrundkarte unten.",
        "Paste the link from the map's “Share”: layers, view and filters are taken over. Without a link "
        "the layers and basemap below apply.",
    ),
    "ui.tour.save": ("Station speichern", "Save station"),
    "ui.tour.saved": ("Führung gespeichert (Fassung {version}).", "Tour saved (version {version})."),
    "ana.profile_title": ("Gemeindeprofil", "Municipality profile"),
    "ana.overview_title": ("Kreisübersicht", "District overview"),
    "ana.coverage_title": ("Erreichbarkeit", "Coverage"),
    "ana.no_municipalities": (
        "Es gibt noch keine Ebene mit Gemeindegrenzen. Bitte laden Sie eine Ebene der Art "
        "„Gemeinden“ hoch, dann erscheinen hier die Auswertungen.",
        "There is no layer with municipal boundaries yet. Please upload a layer of the kind "
        "“Municipalities”, then the analyses appear here.",
    ),
    "ana.no_offers": (
        "Es gibt noch keine Angebots-Ebene (Coworking oder Mobilität), daher wird nichts gezählt. "
        "Bitte laden Sie eine solche Ebene hoch.",
        "There is no offer layer (coworking or mobility) yet, so nothing is counted. Please "
        "upload such a layer.",
    ),
    "ana.no_coworking": (
        "Es gibt keine Coworking-Ebene, daher fehlen Coworking-Spaces in der Auswertung. Laden Sie "
        "eine Ebene der Art „Coworking“ hoch, um sie einzubeziehen.",
        "There is no coworking layer, so coworking spaces are missing from the analysis. Upload a "
        "layer of the kind “Coworking” to include them.",
    ),
    "ana.no_event_dates": (
        "Veranstaltungen werden nicht gezählt, weil keiner Spalte die Rolle „Beginn“ zugeordnet ist.",
        "Events are not counted because no column has the role “start”.",
    ),
    "ana.muni_layer": ("Gemeinde-Ebene für die Auswertung", "Municipality layer to analyse"),
    "ana.pick_municipality": ("Gemeinde", "Municipality"),
    "ana.basics": ("Eckdaten", "Key figures"),
    "ana.no_population_here": (
        "Für diese Gemeinde ist keine Einwohnerzahl hinterlegt; Angaben je Einwohner fehlen daher.",
        "No population is stored for this municipality, so figures per inhabitant are missing.",
    ),
    "ana.vs_mean": ("zum Kreisdurchschnitt", "vs. district average"),
    "ana.mean_median": (
        "Kreisdurchschnitt: {mean}, Median: {median}",
        "District average: {mean}, median: {median}",
    ),
    "ana.offers_heading": ("Angebote in der Gemeinde", "Offers in the municipality"),
    "ana.upcoming": ("kommende", "upcoming"),
    "ana.mobility_by_type": ("Mobilitätsangebote nach Typ", "Mobility offers by type"),
    "ana.nearest_heading": (
        "Nächste Angebote vom Gemeindezentrum",
        "Nearest offers from the municipality centre",
    ),
    "ana.nearest": ("{kind}: {name}, {km} km Luftlinie", "{kind}: {name}, {km} km in a straight line"),
    "ana.nearest_none": ("{kind}: keine in den Daten", "{kind}: none in the data"),
    "ana.nearest_line": ("Luftlinie zum nächsten Angebot ({kind})", "Straight line to the nearest ({kind})"),
    "ana.nearest_marker": ("Nächstes Angebot", "Nearest offer"),
    "ana.this_municipality": ("Gewählte Gemeinde", "Chosen municipality"),
    "ana.unnamed": ("(ohne Namen)", "(no name)"),
    "ana.map_heading": ("Karte", "Map"),
    "ana.chart_counts": ("Angebote je Art im Vergleich", "Offers per kind compared"),
    "ana.chart_alt": (
        "Balkendiagramm: Anzahl der Angebote je Art in {name} und im Kreisdurchschnitt",
        "Bar chart: number of offers per kind in {name} and the district average",
    ),
    "ana.col_offer": ("Angebot", "Offer"),
    "ana.count_axis": ("Anzahl", "Count"),
    "ana.col_this": ("Gemeinde", "Municipality"),
    "ana.col_mean": ("Kreisdurchschnitt", "District average"),
    "ana.col_median": ("Median im Kreis", "District median"),
    "ana.upcoming_events": (
        "Kommende Veranstaltungen in der Gemeinde",
        "Upcoming events in the municipality",
    ),
    "ana.no_upcoming": ("Keine kommenden Veranstaltungen in dieser Gemeinde.", "No upcoming events here."),
    "ana.comparison": (
        "Alle Kennzahlen im Vergleich mit dem Kreis",
        "All indicators compared with the district",
    ),
    "ana.indicator": ("Kennzahl", "Indicator"),
    "ana.scheme": ("Klasseneinteilung", "Classification"),
    "ana.scheme_quantiles": ("Quantile", "Quantiles"),
    "ana.scheme_natural_breaks": ("Natürliche Unterbrechungen", "Natural breaks"),
    "ana.scheme_equal_interval": ("Gleiche Intervalle", "Equal intervals"),
    "ana.classes": ("Anzahl Klassen", "Number of classes"),
    "ana.legend_help": (
        "Klassen nach „{scheme}“; in Klammern die Zahl der Gemeinden. Farben: ColorBrewer YlGnBu "
        "(farbenblindsicher).",
        "Classes by “{scheme}”; the number of municipalities in brackets. Colours: ColorBrewer "
        "YlGnBu (colour-blind safe).",
    ),
    "ana.note_no_population_rates": (
        "Für {count} Gemeinden ist keine Einwohnerzahl hinterlegt; dort fehlen Werte je Einwohner.",
        "{count} municipalities have no population; values per inhabitant are missing there.",
    ),
    "ana.table_heading": ("Alle {count} Gemeinden", "All {count} municipalities"),
    "ana.download": ("Tabelle als {fmt}", "Table as {fmt}"),
    "ana.download_help": (
        "CSV mit Semikolon und Dezimalkomma (für Excel); die GeoPackage-Datei enthält die Kennzahlen "
        "als Attribute der Gemeindeflächen.",
        "CSV with semicolons and decimal commas (for German Excel); the GeoPackage holds the "
        "indicators as attributes of the municipal areas.",
    ),
    "ana.file_stem": ("kreisuebersicht", "district_overview"),
    "ana.coverage_intro": (
        "Wie viel Fläche und wie viele Einwohner liegen in einer gewählten Entfernung zum nächsten "
        "Angebot? Flächen weiter weg sind weiße Flecken.",
        "How much area and how many inhabitants lie within a chosen distance of the nearest offer? "
        "Areas farther away are white spots.",
    ),
    "ana.offer_kind": ("Angebotsart", "Kind of offer"),
    "ana.distance": ("Entfernung (Luftlinie)", "Distance (straight line)"),
    "ana.district_heading": ("Kreis: {kind} im Umkreis von {km} km", "District: {kind} within {km} km"),
    "ana.today": ("Heute", "Today"),
    "ana.with_plan": ("Mit {count} geplanten Standorten", "With {count} planned sites"),
    "ana.share_area": ("Fläche in Reichweite", "Area within reach"),
    "ana.share_population": ("Einwohner in Reichweite", "Inhabitants within reach"),
    "ana.white_area": ("Weiße Flecken", "White spots"),
    "ana.points": ("Prozentpunkte", "percentage points"),
    "ana.white_map_heading": ("Weiße Flecken und geplante Standorte", "White spots and planned sites"),
    "ana.click_hint": (
        "Klicken Sie in die Karte, um einen geplanten Standort ({kind}) zu setzen; die Werte „Mit "
        "geplanten Standorten“ zeigen die Wirkung.",
        "Click the map to place a planned site ({kind}); the figures “With planned sites” show the effect.",
    ),
    "ana.white_layer": ("Weiße Flecken (weiter als {km} km)", "White spots (farther than {km} km)"),
    "ana.white_after_layer": ("Weiße Flecken mit Planung", "White spots with planned sites"),
    "ana.planned_site": ("Geplanter Standort", "Planned site"),
    "ana.planned_heading": ("Geplante Standorte", "Planned sites"),
    "ana.planned_none": ("Noch keine. Klicken Sie in die Karte.", "None yet. Click the map."),
    "ana.clear_planned": ("Geplante Standorte entfernen", "Remove planned sites"),
    "ana.add_point": ("Standort über Koordinaten setzen", "Place a site by coordinates"),
    "ana.lat": ("Breite (°N, WGS 84)", "Latitude (°N, WGS 84)"),
    "ana.lon": ("Länge (°E, WGS 84)", "Longitude (°E, WGS 84)"),
    "ana.add": ("Standort hinzufügen", "Add site"),
    "ana.per_municipality": ("Je Gemeinde", "Per municipality"),
    "ui.part.title": ("Mitmachen", "Take part"),
    "ui.phone.retrying": (
        "Keine Antwort vom Server – Ihr Beitrag wird erneut gesendet …",
        "No answer from the server – sending your contribution again …",
    ),
    "ui.phone.offline": (
        "Keine Verbindung. Ihr Text ist noch da; bitte prüfen Sie das WLAN und senden Sie erneut.",
        "No connection. Your text is still here; please check the Wi-Fi and send again.",
    ),
    "ui.part.live_title": ("Beteiligung live", "Participation live"),
    "ui.part.admin_title": ("Beteiligung", "Participation"),
    "ui.part.no_round": (
        "Gerade läuft keine Beteiligung. Bitte scannen Sie den QR-Code im Forum oder öffnen Sie den "
        "Link, den Sie erhalten haben.",
        "No participation round is running right now. Please scan the QR code at the forum or open the "
        "link you were given.",
    ),
    "ui.part.privacy": (
        "Ohne Anmeldung: Wir fragen und speichern keinen Namen, keine E-Mail-Adresse und keine IP-Adresse. "
        "Gespeichert werden nur Ort, Kategorie, Text und Uhrzeit Ihres Beitrags. Damit „+1“ nur einmal pro "
        "Gerät zählt, legt die Seite eine zufällige Kennung als Cookie ab; gespeichert wird davon nur ein "
        "nicht umkehrbarer Prüfwert. Bitte schreiben Sie keine persönlichen Daten in den Text.",
        "No sign-in: we neither ask for nor store a name, an e-mail address or an IP address. Only the "
        "place, category, text and time of your contribution are stored. So that “+1” counts once per "
        "device, the page keeps a random identifier in a cookie; only a hashed value of it is stored. "
        "Please do not write personal data into the text.",
    ),
    "ui.part.status_open": ("Läuft bis {end} Uhr.", "Open until {end}."),
    "ui.part.status_planned": ("Beginnt am {start} Uhr.", "Starts on {start}."),
    "ui.part.status_ended": ("Beendet am {end} Uhr.", "Ended on {end}."),
    "ui.part.status_closed": ("Von den Planenden beendet.", "Closed by the planners."),
    "ui.part.state_open": ("läuft", "open"),
    "ui.part.state_planned": ("geplant", "planned"),
    "ui.part.state_ended": ("abgelaufen", "ended"),
    "ui.part.state_closed": ("beendet", "closed"),
    "ui.part.tap_hint": (
        "**1.** Tippen Sie auf die Karte, wo Ihr Beitrag hingehört (innerhalb des blauen Rahmens).",
        "**1.** Tap the map where your contribution belongs (inside the blue frame).",
    ),
    "ui.part.point": ("Gewählter Ort: {lat}, {lon}", "Chosen place: {lat}, {lon}"),
    "ui.part.no_point": ("Noch kein Ort gewählt.", "No place chosen yet."),
    "ui.part.category": ("2. Kategorie", "2. Category"),
    "ui.part.text": ("3. Ihr Beitrag", "3. Your contribution"),
    "ui.part.placeholder": (
        "z. B. Hier fehlt ein Coworking-Space am Bahnhof.",
        "e.g. A coworking space near the station is missing here.",
    ),
    "ui.part.send": ("Beitrag senden", "Send contribution"),
    "ui.part.thanks": ("Danke! Ihr Beitrag ist angekommen.", "Thank you! Your contribution has arrived."),
    "ui.part.supported": ("Danke für Ihr „+1“!", "Thank you for your “+1”!"),
    "ui.part.list_title": ("Beiträge ({n})", "Contributions ({n})"),
    "ui.part.plus_one": ("+1 ({n})", "+1 ({n})"),
    "ui.part.plus_one_help": (
        "Diesen Beitrag unterstützen (einmal pro Gerät)",
        "Support this contribution (once per device)",
    ),
    "ui.part.plus_one_done": (
        "Sie haben diesen Beitrag schon unterstützt",
        "You have already supported this",
    ),
    "ui.part.extent": ("Gebiet der Beteiligung", "Area of the round"),
    "ui.part.category_label": ("Kategorie", "Category"),
    "ui.part.text_label": ("Beitrag", "Contribution"),
    "ui.part.contributions": ("Beiträge", "Contributions"),
    "ui.part.picked": ("Gewählter Ort", "Chosen place"),
    "ui.part.count": ("Beiträge", "Contributions"),
    "ui.part.total": ("Beiträge: {n}", "Contributions: {n}"),
    "ui.part.per_category": ("Beiträge je Kategorie", "Contributions per category"),
    "ui.part.top": ("Meiste Unterstützung", "Most supported"),
    "ui.part.no_support_yet": ("Noch kein „+1“.", "No “+1” yet."),
    "ui.part.qr_hint": (
        "**Mitmachen:** QR-Code scannen oder {link} öffnen.",
        "**Take part:** scan the QR code or open {link}.",
    ),
    "ui.part.local_link": (
        "Hinweis: Dieser Link zeigt auf diesen Rechner selbst. Öffnen Sie die Seite über die "
        "Netzwerkadresse des Servers (z. B. http://192.168.1.20:8501), dann funktioniert der "
        "QR-Code auf Handys.",
        "Note: this link points at this computer itself. Open the page via the server's network address "
        "(e.g. http://192.168.1.20:8501), then the QR code works on phones.",
    ),
    "ui.part.new_round": ("Neue Beteiligung", "New participation round"),
    "ui.part.no_rounds": (
        "Es gibt noch keine Beteiligung. Legen Sie oben die erste an.",
        "There is no participation round yet. Create the first one above.",
    ),
    "ui.part.question": ("Frage", "Question"),
    "ui.part.question_example": (
        "z. B. Wo fehlt ein Coworking-Space?",
        "e.g. Where is a coworking space missing?",
    ),
    "ui.part.categories": ("Kategorien (eine pro Zeile)", "Categories (one per line)"),
    "ui.part.categories_help": (
        "Daraus wählen die Teilnehmenden eine aus.",
        "Participants choose one of these.",
    ),
    "ui.part.extent_from": ("Gebiet", "Area"),
    "ui.part.extent_manual": ("Eigene Koordinaten (unten)", "Own coordinates (below)"),
    "ui.part.west": ("West (Länge)", "West (longitude)"),
    "ui.part.south": ("Süd (Breite)", "South (latitude)"),
    "ui.part.east": ("Ost (Länge)", "East (longitude)"),
    "ui.part.north": ("Nord (Breite)", "North (latitude)"),
    "ui.part.start_day": ("Beginn (Tag)", "Start (day)"),
    "ui.part.start_time": ("Beginn (Uhrzeit)", "Start (time)"),
    "ui.part.end_day": ("Ende (Tag)", "End (day)"),
    "ui.part.end_time": ("Ende (Uhrzeit)", "End (time)"),
    "ui.part.max_text": ("Höchstlänge Text (Zeichen)", "Maximum text length (characters)"),
    "ui.part.rate_limit": ("Beiträge pro Gerät", "Contributions per device"),
    "ui.part.rate_window": ("… innerhalb von Minuten", "… within minutes"),
    "ui.part.cap": ("Höchstzahl Beiträge", "Maximum contributions"),
    "ui.part.create": ("Beteiligung anlegen", "Create round"),
    "ui.part.created": ("Beteiligung „{question}“ angelegt ({id}).", "Round “{question}” created ({id})."),
    "ui.part.select_round": ("Beteiligung", "Round"),
    "ui.part.tab_overview": ("Übersicht", "Overview"),
    "ui.part.tab_moderation": ("Moderation", "Moderation"),
    "ui.part.tab_evaluation": ("Auswertung", "Evaluation"),
    "ui.part.total_label": ("Sichtbare Beiträge", "Visible contributions"),
    "ui.part.moderated": ("Ausgeblendet/gelöscht", "Hidden/deleted"),
    "ui.part.support_total": ("„+1“ insgesamt", "“+1” in total"),
    "ui.part.links": ("Handy-Seite: {link}  \nProjektor: {live}", "Phone page: {link}  \nProjector: {live}"),
    "ui.part.close": ("Beteiligung jetzt beenden", "Close the round now"),
    "ui.part.closed_done": ("Die Beteiligung ist beendet.", "The round is closed."),
    "ui.part.moderation_help": (
        "Ausblenden nimmt einen Beitrag von Karte und Liste; Löschen markiert ihn dauerhaft als gelöscht. "
        "Nichts wird physisch entfernt, jeder Schritt steht im Änderungsprotokoll.",
        "Hiding removes a contribution from map and list; deleting marks it deleted for good. Nothing is "
        "physically removed; every step is in the audit log.",
    ),
    "ui.part.none_yet": ("Noch keine Beiträge.", "No contributions yet."),
    "ui.part.mod_line_visible": ("#{id} · {category} · +{support}", "#{id} · {category} · +{support}"),
    "ui.part.mod_line_hidden": (
        "#{id} · {category} · +{support} · ausgeblendet",
        "#{id} · {category} · +{support} · hidden",
    ),
    "ui.part.mod_line_deleted": (
        "#{id} · {category} · +{support} · gelöscht",
        "#{id} · {category} · +{support} · deleted",
    ),
    "ui.part.reason": ("Grund (für das Protokoll)", "Reason (for the log)"),
    "ui.part.hide": ("Ausblenden", "Hide"),
    "ui.part.unhide": ("Einblenden", "Show again"),
    "ui.part.delete": ("Löschen", "Delete"),
    "ui.part.moderated_hide": ("Beitrag #{id} ausgeblendet.", "Contribution #{id} hidden."),
    "ui.part.moderated_unhide": ("Beitrag #{id} wieder eingeblendet.", "Contribution #{id} shown again."),
    "ui.part.moderated_delete": (
        "Beitrag #{id} gelöscht (im Protokoll vermerkt).",
        "Contribution #{id} deleted (logged).",
    ),
    "ui.part.col_category": ("Kategorie", "Category"),
    "ui.part.col_count": ("Beiträge", "Contributions"),
    "ui.part.col_support": ("„+1“", "“+1”"),
    "ui.part.col_key": ("Schlüssel", "Key"),
    "ui.part.col_name": ("Gemeinde", "Municipality"),
    "ui.part.col_total": ("Summe", "Total"),
    "ui.part.per_municipality": ("Beiträge je Gemeinde", "Contributions per municipality"),
    "ui.part.outside_munis": (
        "{n} Beiträge liegen außerhalb der Ebene „{layer}“.",
        "{n} contributions lie outside the layer “{layer}”.",
    ),
    "ui.part.heatmap": ("Dichtekarte", "Density map"),
    "ui.part.heatmap_help": (
        "Beiträge je Rasterzelle ({cell} m × {cell} m); dunkler = mehr.",
        "Contributions per grid cell ({cell} m × {cell} m); darker = more.",
    ),
    "ui.part.list": ("Alle Beiträge", "All contributions"),
    "ui.part.to_layer": ("Als Ebene übernehmen", "Turn into a layer"),
    "ui.part.to_layer_later": (
        "Möglich, sobald die Beteiligung beendet ist.",
        "Possible once the round has ended.",
    ),
    "ui.part.layer_title": ("Titel der Ebene", "Layer title"),
    "ui.part.layer_kind": ("Art der Ebene", "Layer kind"),
    "ui.part.to_layer_button": ("Als Ebene übernehmen", "Turn into a layer"),
    "ui.part.layer_done": (
        "Bereits übernommen als Ebene „{layer}“.",
        "Already turned into the layer “{layer}”.",
    ),
    "ui.part.layer_created": (
        "Ebene „{title}“ mit {n} Beiträgen angelegt.",
        "Layer “{title}” with {n} contributions created.",
    ),
    "ui.search_placeholder": ("z. B. Staßfurt oder Bahnhof", "e.g. Staßfurt or station"),
    "ana.classes_distinct": (
        "Nur {shown} statt {asked} Klassen: der Indikator hat nur {distinct} verschiedene Werte.",
        "Only {shown} instead of {asked} classes: the indicator has only {distinct} different values.",
    ),
    "ana.classes_ties": (
        "Nur {shown} statt {asked} Klassen: viele Gemeinden haben denselben Wert, daher fallen "
        "Klassengrenzen zusammen. Versuchen Sie „Gleiche Intervalle“ oder „Natürliche Unterbrechungen“.",
        "Only {shown} instead of {asked} classes: many municipalities share the same value, so class "
        "bounds coincide. Try “Equal intervals” or “Natural breaks”.",
    ),
    "ogc.service_title": ("Smart-Region Geodaten", "Smart Region geodata"),
    "ogc.service_description": (
        "Die Ebenen des Smart-Region-Dashboards als OGC API – Features (GeoJSON, HTML; "
        "EPSG:4326, 25832, 25833).",
        "The Smart Region dashboard's layers as OGC API – Features (GeoJSON, HTML; EPSG:4326, 25832, 25833).",
    ),
    "ogc.collection_description": (
        "{kind}. Quelle: {attribution}. Stand: {updated}.",
        "{kind}. Source: {attribution}. Updated: {updated}.",
    ),
    "ogc.round": (
        "Beteiligung: sichtbare, moderierte Beiträge",
        "Participation: visible, moderated contributions",
    ),
    "ogc.no_attribution": ("keine Angabe", "not stated"),
    "ogc.metadata_link": ("Metadaten (DCAT-AP.de, JSON-LD)", "Metadata (DCAT-AP.de, JSON-LD)"),
    "ogc.licence_per_collection": (
        "Lizenz je Sammlung (siehe Sammlungen)",
        "Licence per collection (see the collections)",
    ),
    "ui.upload.source": ("Quelle", "Source"),
    "ui.upload.source_file": ("Datei", "File"),
    "ui.upload.source_service": ("Dienst (WFS / OGC API)", "Service (WFS / OGC API)"),
    "ui.upload.service_url": ("Adresse des Dienstes", "Service address"),
    "ui.upload.service_url_help": (
        "Startseite einer OGC API – Features (z. B. https://…/ogc) oder eines WFS "
        "(z. B. https://…/wfs?SERVICE=WFS).",
        "Start page of an OGC API – Features service (e.g. https://…/ogc) or a WFS "
        "(e.g. https://…/wfs?SERVICE=WFS).",
    ),
    "ui.upload.service_layer": ("Ebene des Dienstes", "Layer of the service"),
    "ui.upload.service_layer_option": ("{name} ({geometry})", "{name} ({geometry})"),
    # --- end of ui texts ---
}

TEXTS: dict[str, tuple[str, str]] = {**_ERRORS, **_UI}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """Translate `key` into `lang` and fill in `params`."""
    pair = TEXTS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" and pair[1] else pair[0]
    return text.format(**params) if params else text
