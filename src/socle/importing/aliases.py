"""Known former names of schema fields, by catalogue schema: what older files still use as headers.

Only names whose meaning is unambiguous are kept: each one names a single field of the current
schema and no other field could be meant. Labels are compared after :func:`~socle.importing.mapping.compact`
(case, accents, spaces and punctuation do not matter), so ``COLL_NOM`` also covers ``Coll nom``.

Sources:

- *subventions, draft 1.0* (OpenDataFrance, 2017): upper-case names, one per field of 1.1, as in the
  ``exemple_scdl.csv`` file of the schema's repository (betagouv/SCDL-Subvention-DataSubvention);
- *subventions, before the 2017 decree*: the ``COLL_`` / ``ATTRIB_`` / ``SUB_`` names of the files
  published in 2016–2017 (the Nièvre file of the test corpus, the Poitiers file of the same
  repository). There the *collectivité* grants the subsidy (``COLL_NOM`` is the attribuant) and the
  *attributaire* receives it: ``ATTRIB_NOM`` holds associations' names, so it is the bénéficiaire;
- *subventions 1.1* and *délibérations 1.1*: field titles of the first versions on
  schema.data.gouv.fr that differ from today's (the field names themselves did not change).

Left out on purpose, because they could mean several fields or none:

- ``ACTE_DATE``: the date of the decision, which the schema no longer holds (``dateConvention`` is
  the date of the convention, a different act);
- ``SUB_VERSEMENT``: the conditions of payment or the payment dates?
- ``SUB_DATE_DEBUT`` / ``SUB_DATE_FIN``: each is half of ``datesPeriodeVersement``, not the field;
- ``SUB_DISPOSITIF``: the name of an aid scheme, while ``dispositifAide`` is an identifier;
- ``ID_ENT``: which identifier of which enterprise?
- any label with *attributaire*: files use it for both sides (``Nom attributaire`` holds the
  granting body in the DILCRAH file of the corpus, while ``ATTRIB_NOM`` holds the bénéficiaire).
"""

from __future__ import annotations

from collections.abc import Mapping

ALIASES: Mapping[str, Mapping[str, str]] = {
    "scdl/subventions": {
        # Draft 1.0 (exemple_scdl.csv of the schema's repository).
        "ATTRIBUANT_NOM": "nomAttribuant",
        "ATTRIBUANT_ID": "idAttribuant",
        "CONVENTION_DATE": "dateConvention",
        "DECISION_REF": "referenceDecision",
        "BENEFICIAIRE_NOM": "nomBeneficiaire",
        "BENEFICIAIRE_ID": "idBeneficiaire",
        "SUBVENTION_OBJET": "objet",
        "SUBVENTION_MONTANT": "montant",
        "SUBVENTION_NATURE": "nature",
        "CONDITIONS_VERSEMENT": "conditionsVersement",
        "DATE_PERIODE_VERSEMENT": "datesPeriodeVersement",
        "RAE_NUM": "idRAE",
        "NOTIF_UE": "notificationUE",
        "SUBVENTION_POURCENTAGE": "pourcentageSubvention",
        # Before the 2017 decree (Nièvre 2016, Poitiers 2017).
        "COLL_NOM": "nomAttribuant",
        "COLL_SIRET": "idAttribuant",
        "ACTE_REF": "referenceDecision",
        "ATTRIB_NOM": "nomBeneficiaire",
        "ATTRIB_SIRET": "idBeneficiaire",
        "SUB_OBJET": "objet",
        "SUB_OBJ": "objet",
        "SUB_MONTANT": "montant",
        "SUB_NATURE": "nature",
        "NOTIF_EU": "notificationUE",
        # Titles of version 1.1 that changed since.
        "Identification du bénéficiaire": "idBeneficiaire",
        "Numéro unique de référencement dans le Répertoire des Aides aux Entreprises": "idRAE",
    },
    "scdl/deliberations": {
        # Titles of version 1.1 that changed since.
        "Date de la délibération": "DELIB_DATE",
        "Code de la matière de la délibération": "DELIB_MATIERE_CODE",
        "Nom de la matière de la délibération": "DELIB_MATIERE_NOM",
        "Date d'enregistrement de la délibération au contrôle de légalité": "PREF_DATE",
        "Décompte de l'effectif total des élus susceptibles de participer au vote (présents à la séance)": (
            "VOTE_EFFECTIF"
        ),
        "Décompte de l'effectif total des élus ayant réellement participé au vote (exclusion des absents)": (
            "VOTE_REEL"
        ),
        "Nombre de votes Pour": "VOTE_POUR",
        "Nombre de votes Contre": "VOTE_CONTRE",
        "Nombre de votes Abstention": "VOTE_ABSTENTION",
    },
}
"""{catalogue schema name: {former label: current field name}}."""
