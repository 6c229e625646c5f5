package i18n

// labelCatalog is the label of every value of every enum of schema.graphql, in
// English, German and French. One row a value; a translator reads and edits this file.
// README.md says which German and French terms are the official ones of Regulation
// (EU) 2021/821 and which are the portal's own wording.
var labelCatalog = []LabelRow{
	// LicenceType: terms of Article 2 and Annex II of Regulation (EU) 2021/821.
	{"LicenceType", "INDIVIDUAL", "Individual export authorisation", "Einzelausfuhrgenehmigung", "Autorisation individuelle d'exportation"},
	{"LicenceType", "GLOBAL", "Global export authorisation", "Globalausfuhrgenehmigung", "Autorisation globale d'exportation"},
	{"LicenceType", "LARGE_PROJECT", "Large project authorisation", "Großprojektgenehmigung", "Autorisation pour grands projets"},
	{"LicenceType", "NATIONAL_GENERAL", "National general export authorisation", "Nationale allgemeine Ausfuhrgenehmigung", "Autorisation générale nationale d'exportation"},
	{"LicenceType", "EU001", "Union general export authorisation No EU001", "Allgemeine Ausfuhrgenehmigung der Union Nr. EU001", "Autorisation générale d'exportation de l'Union n° EU001"},
	{"LicenceType", "EU002", "Union general export authorisation No EU002", "Allgemeine Ausfuhrgenehmigung der Union Nr. EU002", "Autorisation générale d'exportation de l'Union n° EU002"},
	{"LicenceType", "EU003", "Union general export authorisation No EU003", "Allgemeine Ausfuhrgenehmigung der Union Nr. EU003", "Autorisation générale d'exportation de l'Union n° EU003"},
	{"LicenceType", "EU004", "Union general export authorisation No EU004", "Allgemeine Ausfuhrgenehmigung der Union Nr. EU004", "Autorisation générale d'exportation de l'Union n° EU004"},
	{"LicenceType", "EU005", "Union general export authorisation No EU005", "Allgemeine Ausfuhrgenehmigung der Union Nr. EU005", "Autorisation générale d'exportation de l'Union n° EU005"},
	{"LicenceType", "EU006", "Union general export authorisation No EU006", "Allgemeine Ausfuhrgenehmigung der Union Nr. EU006", "Autorisation générale d'exportation de l'Union n° EU006"},
	{"LicenceType", "EU007", "Union general export authorisation No EU007", "Allgemeine Ausfuhrgenehmigung der Union Nr. EU007", "Autorisation générale d'exportation de l'Union n° EU007"},
	{"LicenceType", "EU008", "Union general export authorisation No EU008", "Allgemeine Ausfuhrgenehmigung der Union Nr. EU008", "Autorisation générale d'exportation de l'Union n° EU008"},
	{"LicenceType", "INTRA_EU_TRANSFER", "Authorisation of a transfer within the Union (Article 11)", "Genehmigung einer Verbringung innerhalb der Union (Artikel 11)", "Autorisation d'un transfert à l'intérieur de l'Union (article 11)"},

	// CatchAll: the clauses of Articles 4, 5, 9 and 10.
	{"CatchAll", "NONE", "None (item listed in Annex I)", "Keine (Gut in Anhang I gelistet)", "Aucune (bien inscrit à l'annexe I)"},
	{"CatchAll", "WMD", "Weapons of mass destruction (Article 4(1)(a))", "Massenvernichtungswaffen (Artikel 4 Absatz 1 Buchstabe a)", "Armes de destruction massive (article 4, paragraphe 1, point a))"},
	{"CatchAll", "MILITARY_END_USE", "Military end use in a destination under arms embargo (Article 4(1)(b))", "Militärische Endverwendung in einem Bestimmungsland unter Waffenembargo (Artikel 4 Absatz 1 Buchstabe b)", "Utilisation finale militaire dans une destination soumise à un embargo sur les armes (article 4, paragraphe 1, point b))"},
	{"CatchAll", "PREVIOUS_BREACH", "Parts of military items exported without or in breach of an authorisation (Article 4(1)(c))", "Teile von Militärgütern, die ohne Genehmigung oder unter Verstoß gegen eine Genehmigung ausgeführt wurden (Artikel 4 Absatz 1 Buchstabe c)", "Pièces de biens militaires exportés sans autorisation ou en violation d'une autorisation (article 4, paragraphe 1, point c))"},
	{"CatchAll", "CYBER_SURVEILLANCE", "Cyber-surveillance items (Article 5)", "Güter für digitale Überwachung (Artikel 5)", "Biens de cybersurveillance (article 5)"},
	{"CatchAll", "NATIONAL_MEASURE", "National measure (Articles 9 and 10)", "Nationale Maßnahme (Artikel 9 und 10)", "Mesure nationale (articles 9 et 10)"},

	// Outcome: Article 16(6) speaks of refusing, annulling, suspending, modifying or
	// revoking an authorisation.
	{"Outcome", "ISSUED", "Issued", "Erteilt", "Octroyée"},
	{"Outcome", "DENIED", "Denied", "Verweigert", "Refusée"},
	{"Outcome", "REVOKED", "Revoked", "Widerrufen", "Révoquée"},
	{"Outcome", "ANNULLED", "Annulled", "Für ungültig erklärt", "Annulée"},
	{"Outcome", "SUSPENDED", "Suspended", "Ausgesetzt", "Suspendue"},
	{"Outcome", "WITHDRAWN", "Withdrawn by the applicant", "Vom Antragsteller zurückgezogen", "Retirée par le demandeur"},

	// DenialGround: catch-alls and the eight criteria of Common Position 2008/944/CFSP
	// (short titles, not the criteria's full text).
	{"DenialGround", "WMD", "Weapons of mass destruction (Article 4)", "Massenvernichtungswaffen (Artikel 4)", "Armes de destruction massive (article 4)"},
	{"DenialGround", "MILITARY_END_USE", "Military end use in a destination under arms embargo (Article 4)", "Militärische Endverwendung in einem Bestimmungsland unter Waffenembargo (Artikel 4)", "Utilisation finale militaire dans une destination soumise à un embargo sur les armes (article 4)"},
	{"DenialGround", "CYBER_SURVEILLANCE", "Cyber-surveillance items: internal repression or serious human-rights violations (Article 5)", "Güter für digitale Überwachung: interne Repression oder schwerwiegende Menschenrechtsverletzungen (Artikel 5)", "Biens de cybersurveillance : répression interne ou violations graves des droits de l'homme (article 5)"},
	{"DenialGround", "NATIONAL_MEASURE", "National measure (Articles 9 and 10)", "Nationale Maßnahme (Artikel 9 und 10)", "Mesure nationale (articles 9 et 10)"},
	{"DenialGround", "SANCTIONS", "EU or UN sanctions", "Sanktionen der EU oder der Vereinten Nationen", "Sanctions de l'UE ou des Nations unies"},
	{"DenialGround", "CRITERION_1", "Criterion 1: international obligations and commitments", "Kriterium 1: internationale Verpflichtungen und Bindungen", "Critère 1 : obligations et engagements internationaux"},
	{"DenialGround", "CRITERION_2", "Criterion 2: human rights and international humanitarian law", "Kriterium 2: Menschenrechte und humanitäres Völkerrecht", "Critère 2 : droits de l'homme et droit humanitaire international"},
	{"DenialGround", "CRITERION_3", "Criterion 3: internal situation in the country of final destination", "Kriterium 3: innere Lage im Endbestimmungsland", "Critère 3 : situation intérieure dans le pays de destination finale"},
	{"DenialGround", "CRITERION_4", "Criterion 4: regional peace, security and stability", "Kriterium 4: Frieden, Sicherheit und Stabilität in der Region", "Critère 4 : paix, sécurité et stabilité régionales"},
	{"DenialGround", "CRITERION_5", "Criterion 5: national security of the Member States and of friendly and allied countries", "Kriterium 5: nationale Sicherheit der Mitgliedstaaten und befreundeter und verbündeter Länder", "Critère 5 : sécurité nationale des États membres et des pays amis et alliés"},
	{"DenialGround", "CRITERION_6", "Criterion 6: behaviour of the buyer country towards the international community", "Kriterium 6: Verhalten des Käuferlandes gegenüber der internationalen Gemeinschaft", "Critère 6 : comportement du pays acheteur à l'égard de la communauté internationale"},
	{"DenialGround", "CRITERION_7", "Criterion 7: risk of diversion or re-export under undesirable conditions", "Kriterium 7: Risiko der Umlenkung oder der Wiederausfuhr unter unerwünschten Bedingungen", "Critère 7 : risque de détournement ou de réexportation dans des conditions non souhaitées"},
	{"DenialGround", "CRITERION_8", "Criterion 8: technical and economic capacity of the recipient country", "Kriterium 8: technische und wirtschaftliche Kapazität des Empfängerlandes", "Critère 8 : capacité technique et économique du pays destinataire"},

	// EndUserType
	{"EndUserType", "GOVERNMENT", "Government body", "Staatliche Stelle", "Organisme public"},
	{"EndUserType", "MILITARY", "Armed forces", "Streitkräfte", "Forces armées"},
	{"EndUserType", "LAW_ENFORCEMENT", "Police and other law enforcement", "Polizei und andere Strafverfolgungsbehörden", "Police et autres services répressifs"},
	{"EndUserType", "INTELLIGENCE", "Intelligence services", "Nachrichtendienste", "Services de renseignement"},
	{"EndUserType", "TELECOM_OPERATOR", "Telecommunications operator or internet service provider", "Telekommunikationsbetreiber oder Internetdienstanbieter", "Opérateur de télécommunications ou fournisseur d'accès à internet"},
	{"EndUserType", "COMMERCIAL", "Private company", "Privatunternehmen", "Entreprise privée"},
	{"EndUserType", "RESEARCH", "University or research institute", "Hochschule oder Forschungseinrichtung", "Université ou institut de recherche"},
	{"EndUserType", "OTHER", "Other end user", "Sonstiger Endverwender", "Autre utilisateur final"},
	{"EndUserType", "UNKNOWN", "Not reported", "Nicht gemeldet", "Non déclaré"},

	// StatisticsDimension
	{"StatisticsDimension", "YEAR", "Year", "Jahr", "Année"},
	{"StatisticsDimension", "QUARTER", "Quarter", "Quartal", "Trimestre"},
	{"StatisticsDimension", "MEMBER_STATE", "Member State", "Mitgliedstaat", "État membre"},
	{"StatisticsDimension", "DESTINATION", "Destination", "Bestimmungsland", "Pays de destination"},
	{"StatisticsDimension", "DESTINATION_REGION", "Destination region", "Region des Bestimmungslandes", "Région de destination"},
	{"StatisticsDimension", "DESTINATION_SUB_REGION", "Destination sub-region", "Subregion des Bestimmungslandes", "Sous-région de destination"},
	{"StatisticsDimension", "CONTROL_CATEGORY", "Control list category", "Kategorie der Kontrollliste", "Catégorie de la liste de contrôle"},
	{"StatisticsDimension", "CONTROL_ENTRY", "Control list entry", "Nummer der Kontrollliste", "Rubrique de la liste de contrôle"},
	{"StatisticsDimension", "CYBER_SURVEILLANCE", "Cyber-surveillance item", "Gut für digitale Überwachung", "Bien de cybersurveillance"},
	{"StatisticsDimension", "CATCH_ALL", "Catch-all clause", "Auffangklausel (Catch-all)", "Clause attrape-tout"},
	{"StatisticsDimension", "LICENCE_TYPE", "Licence type", "Genehmigungsart", "Type d'autorisation"},
	{"StatisticsDimension", "OUTCOME", "Outcome", "Ergebnis", "Résultat"},
	{"StatisticsDimension", "END_USER_TYPE", "End-user type", "Art des Endverwenders", "Type d'utilisateur final"},
	{"StatisticsDimension", "DENIAL_GROUND", "Denial ground", "Ablehnungsgrund", "Motif de refus"},

	// StatisticsOrderField: the dimensions, and the measures.
	{"StatisticsOrderField", "YEAR", "Year", "Jahr", "Année"},
	{"StatisticsOrderField", "QUARTER", "Quarter", "Quartal", "Trimestre"},
	{"StatisticsOrderField", "MEMBER_STATE", "Member State", "Mitgliedstaat", "État membre"},
	{"StatisticsOrderField", "DESTINATION", "Destination", "Bestimmungsland", "Pays de destination"},
	{"StatisticsOrderField", "DESTINATION_REGION", "Destination region", "Region des Bestimmungslandes", "Région de destination"},
	{"StatisticsOrderField", "DESTINATION_SUB_REGION", "Destination sub-region", "Subregion des Bestimmungslandes", "Sous-région de destination"},
	{"StatisticsOrderField", "CONTROL_CATEGORY", "Control list category", "Kategorie der Kontrollliste", "Catégorie de la liste de contrôle"},
	{"StatisticsOrderField", "CONTROL_ENTRY", "Control list entry", "Nummer der Kontrollliste", "Rubrique de la liste de contrôle"},
	{"StatisticsOrderField", "CYBER_SURVEILLANCE", "Cyber-surveillance item", "Gut für digitale Überwachung", "Bien de cybersurveillance"},
	{"StatisticsOrderField", "CATCH_ALL", "Catch-all clause", "Auffangklausel (Catch-all)", "Clause attrape-tout"},
	{"StatisticsOrderField", "LICENCE_TYPE", "Licence type", "Genehmigungsart", "Type d'autorisation"},
	{"StatisticsOrderField", "OUTCOME", "Outcome", "Ergebnis", "Résultat"},
	{"StatisticsOrderField", "END_USER_TYPE", "End-user type", "Art des Endverwenders", "Type d'utilisateur final"},
	{"StatisticsOrderField", "DENIAL_GROUND", "Denial ground", "Ablehnungsgrund", "Motif de refus"},
	{"StatisticsOrderField", "APPLICATIONS", "Applications", "Anträge", "Demandes"},
	{"StatisticsOrderField", "ISSUED", "Licences issued", "Erteilte Genehmigungen", "Autorisations octroyées"},
	{"StatisticsOrderField", "DENIALS", "Denials", "Ablehnungen", "Refus"},
	{"StatisticsOrderField", "VALUE_APPLIED", "Value applied for", "Beantragter Wert", "Valeur demandée"},
	{"StatisticsOrderField", "VALUE_ISSUED", "Value of licences issued", "Wert der erteilten Genehmigungen", "Valeur des autorisations octroyées"},

	// OrderDirection
	{"OrderDirection", "ASC", "Ascending", "Aufsteigend", "Croissant"},
	{"OrderDirection", "DESC", "Descending", "Absteigend", "Décroissant"},

	// MeasureStatus
	{"MeasureStatus", "PERTURBED", "Perturbed (protected by disclosure control)", "Verrauscht (durch Geheimhaltungsverfahren geschützt)", "Perturbé (protégé par le contrôle de la divulgation)"},
	{"MeasureStatus", "CONFIDENTIAL", "Withheld", "Zurückgehalten", "Non publié"},
	{"MeasureStatus", "OFFICIAL", "Official", "Amtlich", "Officiel"},
	{"MeasureStatus", "NOT_APPLICABLE", "Not applicable", "Entfällt", "Sans objet"},

	// DenialsLevel
	{"DenialsLevel", "COUNTRY", "Country", "Land", "Pays"},
	{"DenialsLevel", "REGION", "Region", "Region", "Région"},
	{"DenialsLevel", "SUB_REGION", "Sub-region", "Subregion", "Sous-région"},

	// DenialsOrderField
	{"DenialsOrderField", "DENIALS", "Denials", "Ablehnungen", "Refus"},
	{"DenialsOrderField", "APPLICATIONS", "Applications", "Anträge", "Demandes"},
	{"DenialsOrderField", "RATE", "Denial rate", "Ablehnungsquote", "Taux de refus"},
	{"DenialsOrderField", "CHANGE", "Change in denials", "Veränderung der Ablehnungen", "Variation des refus"},
	{"DenialsOrderField", "NAME", "Name", "Name", "Nom"},

	// ListOrigin
	{"ListOrigin", "ANNEX_I", "Annex I entry", "Nummer in Anhang I", "Rubrique de l'annexe I"},
	{"ListOrigin", "CATCH_ALL", "Catch-all for cyber-surveillance items", "Auffangklausel für Güter für digitale Überwachung", "Clause attrape-tout pour les biens de cybersurveillance"},

	// ListChangeKind
	{"ListChangeKind", "ADDED", "Added", "Aufgenommen", "Ajouté"},
	{"ListChangeKind", "AMENDED", "Amended", "Geändert", "Modifié"},
	{"ListChangeKind", "REMOVED", "Removed", "Gestrichen", "Retiré"},

	// NotificationStatus
	{"NotificationStatus", "PENDING", "Pending", "Offen", "En attente"},
	{"NotificationStatus", "LISTED", "Listed", "Gelistet", "Inscrit"},
	{"NotificationStatus", "OBJECTED", "Objected to by a qualified majority", "Einwand einer qualifizierten Mehrheit", "Objection d'une majorité qualifiée"},
	{"NotificationStatus", "NOT_AGREED", "Not agreed by all Member States", "Keine Zustimmung aller Mitgliedstaaten", "Pas d'accord de tous les États membres"},
	{"NotificationStatus", "WITHDRAWN", "Withdrawn", "Zurückgezogen", "Retirée"},

	// CatchAllProcedure
	{"CatchAllProcedure", "EP_POSITION_2018", "European Parliament position of 17 January 2018 (never adopted)", "Standpunkt des Europäischen Parlaments vom 17. Januar 2018 (nie angenommen)", "Position du Parlement européen du 17 janvier 2018 (jamais adoptée)"},
	{"CatchAllProcedure", "REGULATION_2021_821_ARTICLE_5", "Article 5 of Regulation (EU) 2021/821", "Artikel 5 der Verordnung (EU) 2021/821", "Article 5 du règlement (UE) 2021/821"},

	// HeadlineKind
	{"HeadlineKind", "COMPUTED", "Computed by the portal", "Vom Portal berechnet", "Calculé par le portail"},
	{"HeadlineKind", "OFFICIAL", "Official", "Amtlich", "Officiel"},

	// ChangeSection
	{"ChangeSection", "OFFICIAL_FIGURE", "Official figure", "Amtliche Zahl", "Chiffre officiel"},
	{"ChangeSection", "HEADLINE_FIGURE", "Headline figure", "Eckzahl", "Chiffre clé"},
	{"ChangeSection", "LIST_ITEM", "Item of the EU-wide list", "Eintrag der EU-weiten Liste", "Élément de la liste de l'Union"},

	// Lang: the languages of the API, each named in the language asked for.
	{"Lang", "EN", "English", "Englisch", "Anglais"},
	{"Lang", "DE", "German", "Deutsch", "Allemand"},
	{"Lang", "FR", "French", "Französisch", "Français"},
}
