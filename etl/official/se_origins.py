"""The origins SE's workbooks list by country, as they name them, and their ISO 3166 alpha-2 codes
(those of the release of 2025 Q3, shipped in data/raw/fdi/se_original_releases).

reference.origin_code looks a label up here before it asks the country matcher (etl.countries),
whose index of CLDR's and pycountry's names takes longer to build (50 ms) than the rest of the
workbook's labels take to read; a label not here (a country SE adds) goes to the matcher. A test
checks that the matcher gives every code here.
"""

SE_ORIGINS = {
    "Afganistán": "AF", "Albania": "AL", "Alemania": "DE", "Andorra": "AD",
    "Antigua y Barbuda": "AG", "Arabia Saudita": "SA", "Argelia": "DZ", "Argentina": "AR",
    "Armenia": "AM", "Australia": "AU", "Austria": "AT", "Azerbaiyán": "AZ", "Bahamas, Las": "BS",
    "Bangladesh": "BD", "Barbados": "BB", "Belarús": "BY", "Bélgica": "BE", "Belice": "BZ",
    "Bermudas": "BM", "Bolivia (Estado Plurinacional de)": "BO", "Bosnia y Herzegovina": "BA",
    "Brasil": "BR", "Brunei Darussalam": "BN", "Bulgaria": "BG", "Camboya": "KH", "Camerún": "CM",
    "Canadá": "CA", "Chad": "TD", "Chile": "CL", "China, República Popular de": "CN",
    "Chipre": "CY", "Colombia": "CO", "Congo, República Democrática del": "CD",
    "Corea, República de": "KR", "Costa de Marfil": "CI", "Costa Rica": "CR", "Croacia": "HR",
    "Cuba": "CU", "Dinamarca": "DK", "Dominica": "DM", "Ecuador": "EC", "Egipto": "EG",
    "El Salvador": "SV", "Emiratos Árabes Unidos": "AE", "Eslovaquia": "SK", "Eslovenia": "SI",
    "España": "ES", "Estados Unidos de América": "US", "Estonia": "EE", "Etiopía": "ET",
    "Federación de Rusia": "RU", "Filipinas": "PH", "Finlandia": "FI", "Fiyi, República de": "FJ",
    "Francia": "FR", "Gabón": "GA", "Georgia": "GE", "Ghana": "GH", "Gibraltar": "GI",
    "Granada": "GD", "Grecia": "GR", "Guatemala": "GT", "Guyana": "GY", "Haití": "HT",
    "Honduras": "HN", "Hong Kong, China": "HK", "Hungría": "HU", "India": "IN", "Indonesia": "ID",
    "Irak": "IQ", "Irán, República Islámica de": "IR", "Irlanda": "IE", "Islandia": "IS",
    "Islas Caimán": "KY", "Islas Vírgenes Británicas": "VG",
    "Islas Vírgenes de los Estados Unidos": "VI", "Israel": "IL", "Italia": "IT", "Jamaica": "JM",
    "Japón": "JP", "Jordania": "JO", "Kazajstán, República de": "KZ", "Kenia": "KE",
    "Kuwait": "KW", "Letonia": "LV", "Líbano": "LB", "Liberia": "LR", "Libia": "LY",
    "Liechtenstein": "LI", "Lituania": "LT", "Luxemburgo": "LU", "Malasia": "MY", "Maldivas": "MV",
    "Malta": "MT", "Marruecos": "MA", "Mauricio": "MU", "Mauritania": "MR", "Moldavia": "MD",
    "Mónaco": "MC", "Montenegro, República de": "ME", "Namibia": "NA",
    "Nepal, República Federal Democrática de": "NP", "Nicaragua": "NI", "Nigeria": "NG",
    "Noruega": "NO", "Omán": "OM", "Países Bajos": "NL", "Pakistán": "PK", "Panamá": "PA",
    "Paraguay": "PY", "Perú": "PE", "Polonia": "PL", "Portugal": "PT", "Puerto Rico": "PR",
    "Qatar": "QA", "Reino Unido de la Gran Bretaña e Irlanda del Norte": "GB",
    "República Centroafricana": "CF", "República Checa": "CZ", "República Dominicana": "DO",
    "Rumanía": "RO", "Samoa": "WS", "San Cristóbal y Nieves": "KN",
    "San Vicente y las Granadinas": "VC", "Santa Lucía": "LC", "Serbia, República de": "RS",
    "Singapur": "SG", "Siria, República Árabe de": "SY", "Sri Lanka": "LK", "Sudáfrica": "ZA",
    "Sudán": "SD", "Suecia": "SE", "Suiza": "CH", "Surinam": "SR", "Tailandia": "TH",
    "Taiwán (RAE de China)": "TW", "Trinidad y Tobago": "TT", "Túnez": "TN", "Turquía": "TR",
    "Ucrania": "UA", "Uruguay": "UY", "Vanuatu": "VU", "Venezuela, República Bolivariana de": "VE",
    "Vietnam": "VN", "Yemen, República de": "YE", "Zambia": "ZM", "Zimbabue": "ZW",
}  # fmt: skip
