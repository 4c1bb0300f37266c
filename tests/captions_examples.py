"""Captions written for the tests, one per agency profile and one per lexicon language.

Each is constructed in the agency's house style (not copied from any labelled set), with the
fields a picture editor would read off it. `None` in an expectation means "must be empty".
"""

from __future__ import annotations

from typing import Any

# profile file -> (caption, expected fields)
PROFILE_CAPTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "epa.toml": (
        "epa10234567 Firefighters work at the scene of a fire in a warehouse in Porto, Portugal,"
        " 12 March 2023. EPA/MIGUEL RIOPA",
        {
            "agency": "EPA",
            "agency_ref": "epa10234567",
            "credit_line": "EPA/MIGUEL RIOPA",
            "byline": "MIGUEL RIOPA",
            "source": "EPA",
            "date": "2023-03-12",
            "place": "Porto, Portugal",
        },
    ),
    "epa_efe.toml": (
        "epa11098765 A handout photo made available by the Ukrainian Presidential Press Service"
        " shows a meeting in Kyiv, Ukraine, 05 February 2024. EPA-EFE/UKRAINIAN PRESIDENTIAL PRESS"
        " SERVICE HANDOUT HANDOUT EDITORIAL USE ONLY/NO SALES",
        {
            "agency": "EPA-EFE",
            "agency_ref": "epa11098765",
            "credit_line": "EPA-EFE/UKRAINIAN PRESIDENTIAL PRESS SERVICE HANDOUT",
            "source": "UKRAINIAN PRESIDENTIAL PRESS SERVICE",
            "handout": True,
            "codes": {"EDITORIAL_USE_ONLY", "NO_SALES"},
            "date": "2024-02-05",
        },
    ),
    "reuters.toml": (
        "A rescuer carries a child after floods in Valencia, Spain, October 30, 2024."
        " REUTERS/Eva Manez",
        {
            "agency": "Reuters",
            "credit_line": "REUTERS/Eva Manez",
            "byline": "Eva Manez",
            "source": "Reuters",
            "date": "2024-10-30",
            "place": "Valencia, Spain",
        },
    ),
    "afp.toml": (
        "Protesters gather in front of the parliament in Tbilisi on December 2, 2024."
        " (Photo by Giorgi ARJEVANIDZE / AFP)",
        {
            "agency": "AFP",
            "credit_line": "Giorgi ARJEVANIDZE / AFP",
            "byline": "Giorgi ARJEVANIDZE",
            "source": "AFP",
            "date": "2024-12-02",
            "place": "Tbilisi",
        },
    ),
    "ap.toml": (
        "Voters wait in line at a polling station, Tuesday, Nov. 5, 2024, in Atlanta."
        " (AP Photo/Mike Stewart)",
        {
            "agency": "AP",
            "credit_line": "AP Photo/Mike Stewart",
            "byline": "Mike Stewart",
            "source": "AP",
            "date": "2024-11-05",
            "place": "Atlanta",
        },
    ),
    "getty.toml": (
        "Lando Norris celebrates on the podium at Silverstone Circuit on July 7, 2024 in"
        " Northampton, England. (Photo by Mark Thompson/Getty Images)",
        {
            "agency": "Getty Images",
            "credit_line": "Mark Thompson/Getty Images",
            "byline": "Mark Thompson",
            "source": "Getty Images",
            "date": "2024-07-07",
            "place": "Northampton, England",
        },
    ),
    "xinhua.toml": (
        "Tourists visit the Summer Palace in Beijing, capital of China, April 14, 2024."
        " (Xinhua/Chen Zhonghao)",
        {
            "agency": "Xinhua",
            "credit_line": "Xinhua/Chen Zhonghao",
            "byline": "Chen Zhonghao",
            "source": "Xinhua",
            "date": "2024-04-14",
        },
    ),
    "anadolu.toml": (
        "Residents inspect damaged buildings in Khan Younis, Gaza on January 10, 2024."
        " Belal Khaled/Anadolu Agency",
        {
            "agency": "Anadolu Agency",
            "credit_line": "Belal Khaled/Anadolu Agency",
            "byline": "Belal Khaled",
            "source": "Anadolu Agency",
            "date": "2024-01-10",
        },
    ),
    "dpa.toml": (
        "Ein Zug fährt am 3. Mai 2023 durch den Bahnhof in Köln. Foto: Oliver Berg/dpa",
        {
            "agency": "dpa",
            "credit_line": "Oliver Berg/dpa",
            "byline": "Oliver Berg",
            "source": "dpa",
            "date": "2023-05-03",
        },
    ),
    "ansa.toml": (
        "Il presidente parla alla Camera a Roma, 15 gennaio 2024. ANSA/ANGELO CARCONI",
        {
            "agency": "ANSA",
            "credit_line": "ANSA/ANGELO CARCONI",
            "byline": "ANGELO CARCONI",
            "source": "ANSA",
            "date": "2024-01-15",
        },
    ),
    "efe.toml": (
        "Aficionados celebran el título en la plaza de Cibeles en Madrid, el 2 de junio de 2024."
        " EFE/Rodrigo Jiménez",
        {
            "agency": "EFE",
            "credit_line": "EFE/Rodrigo Jiménez",
            "byline": "Rodrigo Jiménez",
            "source": "EFE",
            "date": "2024-06-02",
        },
    ),
    "pa.toml": (
        "Crowds on the Mall ahead of the parade in London. Picture date: Saturday June 15, 2024."
        " Yui Mok/PA Wire",
        {
            "agency": "PA",
            "credit_line": "Yui Mok/PA Wire",
            "byline": "Yui Mok",
            "source": "PA",
            "date": "2024-06-15",
        },
    ),
    "aap.toml": (
        "Swimmers compete at the pool in Brisbane, Australia, 12 June 2024."
        " AAP Image/Darren England",
        {
            "agency": "AAP",
            "credit_line": "AAP Image/Darren England",
            "byline": "Darren England",
            "source": "AAP",
            "date": "2024-06-12",
        },
    ),
    "sipa.toml": (
        "Supporters rally outside the town hall in Lyon, France, 8 July 2024. Jean Martin/SIPA",
        {
            "agency": "Sipa",
            "credit_line": "Jean Martin/SIPA",
            "byline": "Jean Martin",
            "source": "Sipa",
            "date": "2024-07-08",
        },
    ),
    "sipa_usa.toml": (
        "Fans wait for the parade in Kansas City, Missouri, Feb. 14, 2024. John Roe/Sipa USA",
        {
            "agency": "Sipa USA",
            "credit_line": "John Roe/Sipa USA",
            "byline": "John Roe",
            "source": "Sipa USA",
            "date": "2024-02-14",
        },
    ),
    "alamy.toml": (
        "Runners cross Tower Bridge during the London Marathon, London, UK, 21 April 2024."
        " Credit: Jane Roe/Alamy Live News",
        {
            "agency": "Alamy",
            "credit_line": "Jane Roe/Alamy Live News",
            "byline": "Jane Roe",
            "source": "Alamy",
            "date": "2024-04-21",
        },
    ),
    "canadian_press.toml": (
        "Prime Minister Mark Carney speaks in Ottawa on Tuesday, March 4, 2025. THE CANADIAN"
        " PRESS/Jane Roe",
        {
            "agency": "The Canadian Press",
            "credit_line": "THE CANADIAN PRESS/Jane Roe",
            "byline": "Jane Roe",
            "source": "The Canadian Press",
            "date": "2025-03-04",
        },
    ),
    "hans_lucas.toml": (
        "Des manifestants défilent à Paris, le 5 mars 2024. (Photo by Jane Roe / Hans Lucas /"
        " Hans Lucas via AFP)",
        {
            "agency": "AFP",
            "credit_line": "Jane Roe / Hans Lucas / Hans Lucas via AFP",
            "byline": "Jane Roe",
            "source": "Hans Lucas",
            "date": "2024-03-05",
        },
    ),
    "zuma.toml": (
        "Marchers cross the bridge in Selma, Alabama, March 3, 2024. (Credit Image: © John Doe/"
        "ZUMA Press Wire)",
        {
            "agency": "ZUMA Press",
            "byline": "John Doe",
            "source": "ZUMA Press",
            "date": "2024-03-03",
        },
    ),
    "shutterstock.toml": (
        "Guests arrive at the premiere in London, Britain, 21 May 2024.\n"
        "Mandatory Credit: Photo by Jane Roe/Shutterstock (14498765c)",
        {
            "agency": "Shutterstock",
            "agency_ref": "14498765c",
            "credit_line": "Jane Roe/Shutterstock",
            "byline": "Jane Roe",
            "source": "Shutterstock",
            "codes": {"MANDATORY_CREDIT"},
            "date": "2024-05-21",
        },
    ),
    "kyodo.toml": (
        "Japan's prime minister speaks at a news conference in Tokyo on Oct. 1, 2024. (Kyodo)",
        {
            "agency": "Kyodo",
            "credit_line": "Kyodo",
            "source": "Kyodo",
            "date": "2024-10-01",
            "place": "Tokyo",
        },
    ),
    "yonhap.toml": (
        "Students walk to class in Seoul on March 4, 2024. (Yonhap)",
        {
            "agency": "Yonhap",
            "credit_line": "Yonhap",
            "source": "Yonhap",
            "date": "2024-03-04",
            "place": "Seoul",
        },
    ),
    "bloomberg.toml": (
        "Traders work on the floor of the New York Stock Exchange in New York, US, on Friday,"
        " Aug. 2, 2024. Photographer: Michael Nagle/Bloomberg",
        {
            "agency": "Bloomberg",
            "credit_line": "Michael Nagle/Bloomberg",
            "byline": "Michael Nagle",
            "source": "Bloomberg",
            "date": "2024-08-02",
        },
    ),
    "sputnik.toml": (
        "Russian President attends a meeting in Moscow, Russia May 7, 2024."
        " Sputnik/Gavriil Grigorov/Pool via REUTERS",
        {
            "agency": "Reuters",
            "credit_line": "Sputnik/Gavriil Grigorov/Pool via REUTERS",
            "byline": "Gavriil Grigorov",
            "source": "Sputnik",
            "pool": True,
            "date": "2024-05-07",
        },
    ),
    "lusa.toml": (
        "Adeptos festejam o título no Porto, 19 de maio de 2024. LUSA/JOSÉ COELHO",
        {
            "agency": "Lusa",
            "credit_line": "LUSA/JOSÉ COELHO",
            "byline": "JOSÉ COELHO",
            "source": "Lusa",
            "date": "2024-05-19",
        },
    ),
    "ana_mpa.toml": (
        "Συγκέντρωση στο Σύνταγμα, Αθήνα, 3 Απριλίου 2024. ΑΠΕ-ΜΠΕ/ΟΡΕΣΤΗΣ ΠΑΝΑΓΙΩΤΟΥ",
        {
            "agency": "ANA-MPA",
            "credit_line": "ΑΠΕ-ΜΠΕ/ΟΡΕΣΤΗΣ ΠΑΝΑΓΙΩΤΟΥ",
            "byline": "ΟΡΕΣΤΗΣ ΠΑΝΑΓΙΩΤΟΥ",
            "source": "ANA-MPA",
            "date": "2024-04-03",
        },
    ),
    "imago.toml": (
        "Fans im Stadion in Dortmund, 14. April 2024. IMAGO/Team 2",
        {
            "agency": "IMAGO",
            "credit_line": "IMAGO/Team 2",
            "source": "Team 2",
            "date": "2024-04-14",
        },
    ),
    "abaca.toml": (
        "Guests arrive at the gala in Cannes, France on May 20, 2024. Photo by Marie Dupont/"
        "ABACAPRESS.COM",
        {
            "agency": "Abaca Press",
            "credit_line": "Marie Dupont/ABACAPRESS.COM",
            "byline": "Marie Dupont",
            "source": "Abaca Press",
            "date": "2024-05-20",
        },
    ),
    "pti.toml": (
        "Devotees take a holy dip in the Ganges in Prayagraj, Jan. 14, 2025. (PTI Photo)",
        {"agency": "PTI", "credit_line": "PTI Photo", "source": "PTI", "date": "2025-01-14"},
    ),
    "ani.toml": (
        "Commuters wade through a waterlogged street in Mumbai on Monday. (ANI Photo)",
        {"agency": "ANI", "credit_line": "ANI Photo", "source": "ANI", "place": "Mumbai"},
    ),
    "newsis.toml": (
        "Citizens vote at a polling station in Seoul, Wednesday. Newsis",
        {"agency": "Newsis", "credit_line": "Newsis", "source": "Newsis"},
    ),
    "news1.toml": (
        "Lawmakers gather at the National Assembly in Seoul, Tuesday. News1/Kim Min-ji",
        {"agency": "News1", "credit_line": "News1/Kim Min-ji", "byline": "Kim Min-ji"},
    ),
    "tass.toml": (
        "A tram crosses a bridge in St Petersburg, Russia, on May 9, 2024. Photo: Ivan Petrov/TASS",
        {
            "agency": "TASS",
            "credit_line": "Ivan Petrov/TASS",
            "byline": "Ivan Petrov",
            "date": "2024-05-09",
        },
    ),
    "jiji.toml": (
        "Commuters walk in Tokyo on Feb. 6, 2024. JIJI PRESS/AFP via Getty Images",
        {
            "agency": "Getty Images",
            "credit_line": "JIJI PRESS/AFP via Getty Images",
            "source": "Jiji Press",
        },
    ),
    "europa_press.toml": (
        "Feijóo durante un acto en Santiago de Compostela, el 15 de febrero de 2025."
        " Eduardo Roe (Europa Press)",
        {
            "agency": "Europa Press",
            "credit_line": "Eduardo Roe (Europa Press)",
            "byline": "Eduardo Roe",
            "source": "Europa Press",
            "date": "2025-02-15",
        },
    ),
    "belga.toml": (
        "Koning Filip tijdens het defilé in Brussel, zondag 21 juli 2024. BELGA PHOTO JAN ROE",
        {
            "agency": "Belga",
            "credit_line": "BELGA PHOTO JAN ROE",
            "byline": "JAN ROE",
            "source": "Belga",
            "date": "2024-07-21",
        },
    ),
    "anp.toml": (
        "Koningsdag in Emmen, zaterdag 27 april 2024. ANP JAN VAN DER ROE",
        {
            "agency": "ANP",
            "credit_line": "ANP JAN VAN DER ROE",
            "byline": "JAN VAN DER ROE",
            "source": "ANP",
            "date": "2024-04-27",
        },
    ),
    "apa.toml": (
        "Der Bundespräsident in der Hofburg in Wien am 9. Oktober 2024. APA-FOTO: JANE ROE",
        {
            "agency": "APA",
            "credit_line": "APA-FOTO: JANE ROE",
            "byline": "JANE ROE",
            "source": "APA",
            "date": "2024-10-09",
        },
    ),
    "tt.toml": (
        "Statsministern i Stockholm den 5 mars 2025. Foto: Jane Roe/TT / kod 10060",
        {
            "agency": "TT News Agency",
            "credit_line": "Jane Roe/TT",
            "byline": "Jane Roe",
            "source": "TT News Agency",
            "date": "2025-03-05",
        },
    ),
    "ntb.toml": (
        "Statsministeren i Oslo fredag 31. januar 2025. Foto: Jane Roe / NTB",
        {
            "agency": "NTB",
            "credit_line": "Jane Roe / NTB",
            "byline": "Jane Roe",
            "source": "NTB",
            "date": "2025-01-31",
            "place": "Oslo",
        },
    ),
    "ritzau.toml": (
        "Protesters in Copenhagen, Denmark, March 3, 2025. Ritzau Scanpix/Jane Roe via REUTERS",
        {
            "agency": "Reuters",
            "credit_line": "Ritzau Scanpix/Jane Roe via REUTERS",
            "byline": "Jane Roe",
            "source": "Ritzau Scanpix",
            "date": "2025-03-03",
        },
    ),
    "lehtikuva.toml": (
        "Voters queue in Helsinki, Finland, January 26, 2025. Lehtikuva/Jane Roe via REUTERS",
        {
            "agency": "Reuters",
            "credit_line": "Lehtikuva/Jane Roe via REUTERS",
            "byline": "Jane Roe",
            "source": "Lehtikuva",
            "date": "2025-01-26",
        },
    ),
    "pap.toml": (
        "Prezydent w Pałacu Prezydenckim w Warszawie, 14 maja 2024 r. Fot. PAP/Jan Roe",
        {
            "agency": "PAP",
            "credit_line": "PAP/Jan Roe",
            "byline": "Jan Roe",
            "source": "PAP",
            "date": "2024-05-14",
        },
    ),
    "ctk.toml": (
        "Floods in Opava, Czech Republic, September 15, 2024. Jan Roe/CTK via REUTERS",
        {
            "agency": "Reuters",
            "credit_line": "Jan Roe/CTK via REUTERS",
            "byline": "Jan Roe",
            "source": "CTK",
            "date": "2024-09-15",
        },
    ),
    "mti.toml": (
        "Parliament in Budapest, Hungary, Monday, Feb. 24, 2025. (Jan Roe/MTI via AP)",
        {
            "agency": "AP",
            "credit_line": "Jan Roe/MTI via AP",
            "byline": "Jan Roe",
            "source": "MTI",
            "date": "2025-02-24",
        },
    ),
    "keystone.toml": (
        "Skiers in Wengen, Switzerland, 11 January 2025. KEYSTONE/Jane Roe",
        {
            "agency": "Keystone",
            "credit_line": "KEYSTONE/Jane Roe",
            "byline": "Jane Roe",
            "source": "Keystone",
            "date": "2025-01-11",
        },
    ),
    "agencia_brasil.toml": (
        "Brasília, 18/03/2024 - O ministro concede entrevista. Foto: Jane Roe/Agência Brasil",
        {
            "agency": "Agência Brasil",
            "credit_line": "Jane Roe/Agência Brasil",
            "byline": "Jane Roe",
            "source": "Agência Brasil",
        },
    ),
    "mega.toml": (
        "A singer leaves dinner in Santa Monica. Photo credit: Jane Roe / MEGA"
        " TheMegaAgency.com +1 888 505 6342",
        {
            "agency": "MEGA",
            "credit_line": "Jane Roe / MEGA",
            "byline": "Jane Roe",
            "source": "MEGA",
        },
    ),
    "backgrid.toml": (
        "An actor waves to fans in London. BYLINE MUST READ: Jane Roe / BACKGRID",
        {
            "agency": "BACKGRID",
            "credit_line": "Jane Roe / BACKGRID",
            "byline": "Jane Roe",
            "source": "BACKGRID",
            "codes": {"MANDATORY_CREDIT"},
        },
    ),
    "splash.toml": (
        "A star on the beach in Malibu. Photo: Jane Roe/Splash News",
        {
            "agency": "Splash News",
            "credit_line": "Jane Roe/Splash News",
            "byline": "Jane Roe",
            "source": "Splash News",
        },
    ),
    "avalon.toml": (
        "A model at the launch in London. Jane Roe / Avalon",
        {
            "agency": "Avalon",
            "credit_line": "Jane Roe / Avalon",
            "byline": "Jane Roe",
            "source": "Avalon",
        },
    ),
    "cover_images.toml": (
        "A kiwi chick hatches at the centre. Pukaha Wildlife Centre/Cover Images",
        {
            "agency": "Cover Images",
            "credit_line": "Pukaha Wildlife Centre/Cover Images",
            "source": "Pukaha Wildlife Centre",
        },
    ),
    "sportsfile.toml": (
        "Players celebrate at Croke Park in Dublin, 9 March 2025. Photo by Jane Roe/Sportsfile",
        {
            "agency": "Sportsfile",
            "credit_line": "Jane Roe/Sportsfile",
            "byline": "Jane Roe",
            "source": "Sportsfile",
            "date": "2025-03-09",
        },
    ),
    "inpho.toml": (
        "Ireland's captain scores at the Aviva Stadium, Dublin, 1 February 2025. ©INPHO/Jane Roe",
        {
            "agency": "Inpho",
            "credit_line": "©INPHO/Jane Roe",
            "byline": "Jane Roe",
            "source": "Inpho",
            "date": "2025-02-01",
        },
    ),
    "imagn.toml": (
        "A pitcher throws in the first inning in Phoenix, March 3, 2025. Mandatory Credit:"
        " Jane Roe-Imagn Images",
        {
            "agency": "Imagn Images",
            "credit_line": "Jane Roe-Imagn Images",
            "byline": "Jane Roe",
            "source": "Imagn Images",
            "date": "2025-03-03",
        },
    ),
    "usa_today_sports.toml": (
        "A guard shoots in the second half in Boston, Jan 5, 2025. Mandatory Credit: Jane"
        " Roe-USA TODAY Sports",
        {
            "agency": "USA TODAY Sports",
            "credit_line": "Jane Roe-USA TODAY Sports",
            "byline": "Jane Roe",
            "source": "USA TODAY Sports",
            "date": "2025-01-05",
        },
    ),
    "icon_sportswire.toml": (
        "A runner crosses the line in Austin, Texas, April 5, 2025. (Photo by Jane Roe/Icon"
        " Sportswire via Getty Images)",
        {
            "agency": "Getty Images",
            "credit_line": "Jane Roe/Icon Sportswire via Getty Images",
            "byline": "Jane Roe",
            "source": "Icon Sportswire",
            "date": "2025-04-05",
        },
    ),
    "polaris.toml": (
        "A senator speaks in Washington, March 3, 2025. Jane Roe/Polaris",
        {
            "agency": "Polaris",
            "credit_line": "Jane Roe/Polaris",
            "byline": "Jane Roe",
            "source": "Polaris",
            "date": "2025-03-03",
        },
    ),
    "redux.toml": (
        "A farmer in Iowa, March 3, 2025. Jane Roe/The New York Times/Redux",
        {
            "agency": "Redux",
            "credit_line": "Jane Roe/The New York Times/Redux",
            "byline": "Jane Roe",
            "source": "The New York Times",
            "date": "2025-03-03",
        },
    ),
    "nurphoto.toml": (
        "Shoppers in Krakow, Poland, on March 3, 2025. (Photo by Jane Roe/NurPhoto via Getty"
        " Images)",
        {
            "agency": "Getty Images",
            "credit_line": "Jane Roe/NurPhoto via Getty Images",
            "byline": "Jane Roe",
            "source": "NurPhoto",
            "date": "2025-03-03",
        },
    ),
    "sopa.toml": (
        "Protesters march in London, March 3, 2025. (Credit Image: © Jane Roe/SOPA Images via"
        " ZUMA Press Wire)",
        {
            "agency": "ZUMA Press",
            "byline": "Jane Roe",
            "source": "SOPA Images",
            "date": "2025-03-03",
        },
    ),
    # Picture libraries: their name first, then the studio or owner they hold the picture for.
    "album.toml": (
        "Marlon Brando in a still from The Godfather, 1972. Photo: Album / United Artists",
        {
            "agency": "Album",
            "credit_line": "Album / United Artists",
            "source": "United Artists",
            "byline": None,
        },
    ),
    "akg.toml": (
        "A still from Metropolis, 1927. Photo: akg-images / Erich Lessing",
        {
            "agency": "akg-images",
            "credit_line": "akg-images / Erich Lessing",
            "source": "Erich Lessing",
            "byline": None,
        },
    ),
    "collection_christophel.toml": (
        "A scene from Casablanca, 1942. Photo: Collection Christophel/Warner Bros",
        {
            "agency": "Collection Christophel",
            "credit_line": "Collection Christophel/Warner Bros",
            "source": "Warner Bros",
            "byline": None,
        },
    ),
    "everett.toml": (
        "A scene from On the Waterfront, 1954. Photo: Everett Collection/Horizon Films",
        {
            "agency": "Everett Collection",
            "credit_line": "Everett Collection/Horizon Films",
            "source": "Horizon Films",
            "byline": None,
        },
    ),
    "granger.toml": (
        "Abraham Lincoln in Washington, 1863. Photo: Granger/Alexander Gardner",
        {
            "agency": "Granger",
            "credit_line": "Granger/Alexander Gardner",
            "source": "Alexander Gardner",
            "byline": None,
        },
    ),
    "mary_evans.toml": (
        "Suffragettes march in London, 1911. Photo: Mary Evans/Rue des Archives",
        {
            "agency": "Mary Evans Picture Library",
            "credit_line": "Mary Evans/Rue des Archives",
            "source": "Rue des Archives",
            "byline": None,
        },
    ),
    "photo12.toml": (
        "Alain Delon in Le Samourai, 1967. Photo: Photo12/Les Films du Carrosse",
        {
            "agency": "Photo12",
            "credit_line": "Photo12/Les Films du Carrosse",
            "source": "Les Films du Carrosse",
            "byline": None,
        },
    ),
    # A library whose name closes the credit: the party before it owns the work.
    "bridgeman.toml": (
        "Portrait of Queen Victoria, 1887. Photo: Royal Collection Trust/Bridgeman Images",
        {
            "agency": "Bridgeman Images",
            "credit_line": "Royal Collection Trust/Bridgeman Images",
            "source": "Royal Collection Trust",
            "byline": None,
        },
    ),
}

# Non-agency sources: handouts, pools, courtesy and supplied pictures, "via" chains.
GENERIC_CAPTIONS: list[tuple[str, dict[str, Any]]] = [
    (
        "Smoke rises over the port in Odesa, Ukraine, June 1, 2024. Ukrainian Navy/Handout via"
        " REUTERS THIS IMAGE HAS BEEN SUPPLIED BY A THIRD PARTY. NO RESALES. NO ARCHIVES",
        {
            "agency": "Reuters",
            "credit_line": "Ukrainian Navy/Handout via REUTERS",
            "source": "Ukrainian Navy",
            "handout": True,
            "codes": {"OTHER", "NO_RESALES", "NO_ARCHIVES"},
        },
    ),
    (
        "Leaders meet at the summit in Brussels, Belgium, 27 June 2024."
        " EPA-EFE/OLIVIER HOSLET / POOL",
        {"agency": "EPA-EFE", "pool": True, "byline": "OLIVIER HOSLET", "source": "EPA-EFE"},
    ),
    (
        "The rescued dog rests at the shelter in Denver, Colorado, in this photo courtesy of the"
        " Denver Animal Shelter. (Denver Animal Shelter via AP)",
        {
            "agency": "AP",
            "handout": True,
            "source": "Denver Animal Shelter",
            "credit_line": "Denver Animal Shelter via AP",
        },
    ),
    (
        "The new bridge opens to traffic in Hobart, 1 July 2024."
        " AAP Image/Supplied by Tasmania Police",
        {"agency": "AAP", "source": "Tasmania Police"},
    ),
    (
        "A satellite image shows the damaged airfield. Satellite image ©2024 Maxar Technologies/"
        "Handout via REUTERS",
        {"agency": "Reuters", "handout": True},
    ),
]

# language -> (caption, restriction codes expected)
LANGUAGE_CAPTIONS: dict[str, tuple[str, set[str]]] = {
    "en": (
        "Officials inspect the site in Leeds, Britain, 4 April 2024. PA Wire/PA Images"
        " Editorial use only. No sales. MUST COURTESY. NO USE IN GERMANY",
        {"EDITORIAL_USE_ONLY", "NO_SALES", "MANDATORY_CREDIT", "TERRITORY"},
    ),
    "de": (
        "Der Kanzler spricht im Bundestag in Berlin, 12. März 2024. Foto: Kay Nietfeld/dpa"
        " NUR FÜR REDAKTIONELLE ZWECKE, KEIN VERKAUF, KEINE ARCHIVIERUNG",
        {"EDITORIAL_USE_ONLY", "NO_SALES", "NO_ARCHIVES"},
    ),
    "fr": (
        "Des manifestants défilent à Paris, le 1er mai 2024. (AFP / Jean Dupont)"
        " USAGE ÉDITORIAL UNIQUEMENT - PAS DE VENTE - CRÉDIT OBLIGATOIRE",
        {"EDITORIAL_USE_ONLY", "NO_SALES", "MANDATORY_CREDIT"},
    ),
    "es": (
        "El presidente saluda en Buenos Aires, Argentina, el 9 de julio de 2024. EFE/Juan Ignacio"
        " Roncoroni SOLO USO EDITORIAL/PROHIBIDA SU VENTA/NO ARCHIVAR",
        {"EDITORIAL_USE_ONLY", "NO_SALES", "NO_ARCHIVES"},
    ),
    "it": (
        "Il corteo attraversa Milano, 25 aprile 2024. ANSA/MATTEO BAZZI SOLO PER USO EDITORIALE,"
        " VIETATA LA VENDITA",
        {"EDITORIAL_USE_ONLY", "NO_SALES"},
    ),
    "pt": (
        "O presidente discursa em Lisboa, 25 de abril de 2024. LUSA/TIAGO PETINGA APENAS PARA USO"
        " EDITORIAL. PROIBIDO USO COMERCIAL",
        {"EDITORIAL_USE_ONLY", "NO_COMMERCIAL_USE"},
    ),
    "el": (
        "Ο πρωθυπουργός στη Βουλή, Αθήνα 10 Μαΐου 2024. EUROKINISSI/ΓΙΩΡΓΟΣ ΚΟΝΤΑΡΙΝΗΣ"
        " Μόνο για συντακτική χρήση. ΟΧΙ ΓΙΑ ΠΩΛΗΣΗ",
        {"EDITORIAL_USE_ONLY", "NO_SALES"},
    ),
    "nl": (
        "Koning Willem-Alexander tijdens Koningsdag in Emmen, 27 april 2024. ANP REMKO DE WAAL"
        " ALLEEN VOOR REDACTIONEEL GEBRUIK, GEEN VERKOOP OF ARCHIVERING",
        {"EDITORIAL_USE_ONLY", "NO_SALES", "NO_ARCHIVES"},
    ),
    "pl": (
        "Prezydent Andrzej Duda podczas obchodów Święta Konstytucji 3 Maja w Warszawie,"
        " 3 maja 2024. PAP/Leszek Szymański TYLKO DO UŻYTKU REDAKCYJNEGO,"
        " NIE DO SPRZEDAŻY ANI ARCHIWIZACJI",
        {"EDITORIAL_USE_ONLY", "NO_SALES", "NO_ARCHIVES"},
    ),
    "ru": (
        "Парад Победы на Красной площади в Москве, 9 мая 2024 года. Фото: Михаил Метцель/ТАСС"
        " Только для редакционного использования. Не для продажи и рекламы",
        {"EDITORIAL_USE_ONLY", "NO_SALES", "NO_ADVERTISING"},
    ),
    "ja": (
        "Tokyo, Japan, March 12, 2024. (Kyodo) 報道目的以外の使用禁止・販売禁止",
        {"EDITORIAL_USE_ONLY", "NO_SALES"},
    ),
    "zh": (
        "Beijing, China, March 5, 2024. (Xinhua/Li Xueren) 仅供编辑使用，禁止用于广告",
        {"EDITORIAL_USE_ONLY", "NO_ADVERTISING"},
    ),
    "ko": (
        "Seoul, South Korea, March 12, 2024. (Yonhap) 보도용으로만 사용, 상업적 이용 금지",
        {"EDITORIAL_USE_ONLY", "NO_COMMERCIAL_USE"},
    ),
    "tr": (
        "Cumhurbaşkanı Erdoğan Ankara'da konuştu, 12 Mart 2024. Fotoğraf: Mustafa Kamacı/AA"
        " SADECE EDİTORYAL KULLANIM İÇİNDİR, TİCARİ AMAÇLI KULLANILAMAZ",
        {"EDITORIAL_USE_ONLY", "NO_COMMERCIAL_USE"},
    ),
    "ar": (
        "Fans in Doha, Qatar, 18 December 2022. (Photo by Jane Doe/Anadolu Agency)"
        " للاستخدام التحريري فقط، ممنوع البيع",
        {"EDITORIAL_USE_ONLY", "NO_SALES"},
    ),
    "sv": (
        "Kung Carl XVI Gustaf på nationaldagen i Stockholm, 6 juni 2024. Foto: Jonas Ekströmer/TT"
        " ENDAST FÖR REDAKTIONELLT BRUK, EJ FÖR FÖRSÄLJNING ELLER ARKIV",
        {"EDITORIAL_USE_ONLY", "NO_SALES", "NO_ARCHIVES"},
    ),
    "no": (
        "Kong Harald på Slottsbalkongen i Oslo, 17. mai 2024. Foto: Lise Åserud/NTB"
        " KUN TIL REDAKSJONELL BRUK. IKKE TIL REKLAME",
        {"EDITORIAL_USE_ONLY", "NO_ADVERTISING"},
    ),
    "da": (
        "Kong Frederik i København, 14. januar 2024. Foto: Mads Claus Rasmussen/Ritzau Scanpix"
        " KUN TIL REDAKTIONEL BRUG, MÅ IKKE SÆLGES",
        {"EDITORIAL_USE_ONLY", "NO_SALES"},
    ),
    "fi": (
        "Presidentti Alexander Stubb Helsingissä 1. maaliskuuta 2024. LEHTIKUVA / Markku Ulander"
        " VAIN TOIMITUKSELLISEEN KÄYTTÖÖN, EI MAINOSKÄYTTÖÖN",
        {"EDITORIAL_USE_ONLY", "NO_ADVERTISING"},
    ),
    "cs": (
        "Prezident Petr Pavel na Pražském hradě, 8. března 2024. ČTK/Michal Kamaryt"
        " POUZE PRO REDAKČNÍ POUŽITÍ, ZÁKAZ PRODEJE A ARCHIVACE",
        {"EDITORIAL_USE_ONLY", "NO_SALES", "NO_ARCHIVES"},
    ),
    "hu": (
        "Ünnepi megemlékezés Budapesten, 2024. március 15. MTI/Koszticsák Szilárd"
        " CSAK SZERKESZTŐSÉGI FELHASZNÁLÁSRA, KERESKEDELMI CÉLRA NEM HASZNÁLHATÓ",
        {"EDITORIAL_USE_ONLY", "NO_COMMERCIAL_USE"},
    ),
}
