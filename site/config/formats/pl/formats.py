# "E" is the month in the genitive, as Polish writes a date: "5 grudnia 2026", not "5 Grudzień 2026".
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
SHORT_DATE_FORMAT = "j E Y"
SHORT_DATETIME_FORMAT = "j E Y, H:i"
