"""Build the example company's two past mémoires (app/resources/example/library/*.docx).

Run: `.venv/bin/python -m app.resources.example.make_example_library`. BRV Construction (profile.json)
wrote them for earlier consultations: a works one (a school's extension, lot gros œuvre, 2025) and a
services one (maintenance of a town's buildings, 2024). `maitre-ao demo` imports both into its library,
as a bid writer does with the past answers on their disk. The output is deterministic (fixed dates).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import docx
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "library"
FIXED = datetime(2025, 1, 14, 9, 0, 0)
ZIP_TIME = (2025, 1, 14, 9, 0, 0)

Section = tuple[str, list[str]]  # heading, paragraphs ("- " bullets, "| a | b |" table rows)

WORKS_COVER = {
    "Acheteur": "Commune de Coupvray",
    "Objet": "Réhabilitation et extension du groupe scolaire Jean Moulin – lot n° 1 gros œuvre",
    "Lieu d'exécution": "groupe scolaire Jean Moulin",
    "Date": "14/01/2025",
}

WORKS: list[Section] = [
    (
        "Présentation de l'entreprise",
        [
            "BRV Construction est une entreprise générale de gros œuvre et de réhabilitation implantée à "
            "Serris, en Seine-et-Marne. Nous intervenons principalement pour des maîtres d'ouvrage publics : "
            "communes, intercommunalités, bailleurs sociaux et département. Notre cœur de métier est la "
            "maçonnerie, le béton armé, la reprise en sous-œuvre et la réhabilitation de bâtiments "
            "occupés, complétés par une activité d'isolation thermique par l'extérieur.",
            "Notre organisation repose sur des équipes stables, encadrées par des conducteurs de travaux "
            "qui suivent chaque opération de la période de préparation jusqu'à la levée des réserves. "
            "Nous ne sous-traitons pas le gros œuvre : les compagnons qui interviennent sur le chantier "
            "sont salariés de l'entreprise, formés à nos méthodes et à nos règles de sécurité.",
            "Nos qualifications Qualibat et notre certification ISO 9001 encadrent la manière dont nous "
            "préparons, exécutons et contrôlons nos ouvrages. Elles sont régulièrement auditées et nos "
            "procédures sont revues chaque année en revue de direction.",
        ],
    ),
    (
        "Compréhension des enjeux de l'opération",
        [
            "L'opération porte sur la réhabilitation et l'extension du groupe scolaire Jean Moulin pour "
            "le compte de la Commune de Coupvray. Le bâtiment reste en activité pendant une grande partie "
            "des travaux : la sécurité des élèves, du personnel et des parents est la première contrainte "
            "de l'opération, avant même le délai.",
            "Nous retenons quatre enjeux principaux. Le premier est la séparation stricte entre la zone de "
            "chantier et les zones occupées, y compris pendant les entrées et sorties des usagers. Le "
            "deuxième est la maîtrise des nuisances sonores et des poussières, qui conditionne la "
            "poursuite normale de l'activité. Le troisième est le respect du phasage imposé par les "
            "périodes d'occupation, qui concentre les travaux les plus bruyants sur les périodes de "
            "fermeture. Le quatrième est la qualité des reprises entre existant et extension, où se "
            "concentrent habituellement les désordres.",
            "Notre visite du site nous a permis de repérer les accès, les réseaux apparents, l'état des "
            "maçonneries existantes et les zones où une reprise en sous-œuvre sera nécessaire. Ces "
            "constats sont intégrés dans notre méthodologie et dans notre planning.",
        ],
    ),
    (
        "Organisation du chantier en site occupé et sécurité des usagers",
        [
            "Le chantier est organisé pour que les usagers ne croisent jamais la zone de travaux. Avant "
            "tout démarrage, nous établissons avec le maître d'œuvre et la direction de l'établissement "
            "un plan d'installation qui définit les emprises, les accès, les cheminements piétons et les "
            "zones de livraison. Ce plan est affiché à l'entrée du chantier et dans l'établissement.",
            "- Clôtures rigides de 2 mètres avec panneaux pleins sur toute la périphérie de l'emprise, "
            "vérifiées chaque matin par le chef de chantier.",
            "- Accès chantier distinct de l'accès des usagers, avec un homme trafic lors de chaque "
            "livraison ou manœuvre d'engin.",
            "- Livraisons et manœuvres interdites aux heures d'entrée et de sortie des usagers.",
            "- Cheminements provisoires balisés, éclairés et accessibles aux personnes à mobilité réduite.",
            "Les travaux bruyants ou générateurs de poussière (démolition, sciage, carottage) sont "
            "programmés sur les périodes sans occupation. Lorsqu'ils ne peuvent l'être, ils sont annoncés "
            "la veille à la direction de l'établissement et réalisés avec des protections adaptées : "
            "cloisons étanches, aspiration à la source, portes maintenues fermées.",
            "Un point hebdomadaire avec le représentant de l'établissement permet d'ajuster les "
            "interventions de la semaine suivante aux activités prévues. Le conducteur de travaux reste "
            "joignable en permanence pendant les heures d'ouverture pour traiter toute gêne signalée.",
        ],
    ),
    (
        "Installation de chantier et accès",
        [
            "L'installation de chantier comprend des bungalows de chantier (bureau, réfectoire, vestiaires "
            "et sanitaires) raccordés aux réseaux, une aire de stockage clôturée et une zone de tri des "
            "déchets. Elle est implantée à l'écart des circulations des usagers, au plus près de l'accès "
            "véhicules, afin de limiter les traversées de la parcelle.",
            "Les approvisionnements sont regroupés et planifiés pour réduire le nombre de livraisons. Les "
            "matériaux sont stockés sur palettes, bâchés et protégés. Les engins sont stationnés dans "
            "l'emprise clôturée en dehors des heures de travail et leurs clés sont conservées au bureau "
            "de chantier.",
            "Le panneau de chantier, le plan d'installation et les consignes de sécurité sont affichés à "
            "l'entrée. Un registre des entrées permet de savoir à tout moment qui est présent sur le "
            "chantier. Les voiries d'accès sont nettoyées autant que nécessaire et au minimum chaque "
            "vendredi ; un décrotteur est installé en sortie d'emprise.",
        ],
    ),
    (
        "Démolition, curage et désamiantage",
        [
            "Les démolitions commencent par un curage sélectif : dépose des équipements, des faux "
            "plafonds, des revêtements et des menuiseries, triés à la source. Les ouvrages de gros œuvre "
            "sont ensuite démolis par grignotage à la mini-pelle équipée d'une pince, ce qui limite les "
            "vibrations transmises aux parties conservées du bâtiment.",
            "Lorsque le repérage avant travaux révèle des matériaux amiantés, nos équipes qualifiées en "
            "sous-section 4 interviennent selon un mode opératoire transmis à l'inspection du travail et "
            "à la CARSAT. Les zones sont confinées, les opérateurs équipés et les déchets conditionnés et "
            "évacués vers une installation de stockage autorisée, avec bordereau de suivi.",
            "Avant toute démolition au droit de l'existant, nous réalisons un constat contradictoire des "
            "ouvrages mitoyens, vérifions la neutralisation des réseaux et mettons en place les étaiements "
            "définis par notre bureau d'études. Les reprises en sous-œuvre sont réalisées par passes "
            "alternées, sous contrôle du conducteur de travaux.",
        ],
    ),
    (
        "Planning et phasage des travaux",
        [
            "Le planning est construit à partir des périodes d'occupation du bâtiment. Il distingue une "
            "période de préparation, consacrée aux plans d'exécution, aux validations et aux commandes, "
            "puis des phases d'exécution dont l'enchaînement garantit que chaque zone rendue aux usagers "
            "est propre, sécurisée et réceptionnée.",
            "- Période de préparation : plans d'exécution, notes de calcul, PPSPS, installation de chantier.",
            "- Phase 1 : démolitions, terrassements et fondations de l'extension, hors zone occupée.",
            "- Phase 2 : élévations, planchers et reprises sur l'existant pendant les périodes de fermeture.",
            "- Phase 3 : finitions de gros œuvre, nettoyage, opérations préalables à la réception.",
            "Les points d'arrêt sont inscrits au planning : réception des fonds de fouille, contrôle des "
            "ferraillages avant coulage, validation des réservations avec les lots techniques. Aucun "
            "coulage n'est réalisé sans levée du point d'arrêt par le conducteur de travaux.",
            "Le planning est mis à jour chaque semaine et présenté en réunion de chantier. En cas de "
            "retard, nous renforçons les équipes ou organisons un travail en horaires décalés, toujours "
            "avec l'accord du maître d'œuvre et dans le respect des horaires autorisés.",
        ],
    ),
    (
        "Contrôle qualité : autocontrôles et fiches de suivi",
        [
            "Notre plan d'assurance qualité, établi pendant la période de préparation, décrit pour chaque "
            "ouvrage les contrôles à réaliser, leur fréquence, la personne qui les réalise et l'enregistrement "
            "qui en garde la trace. Il est soumis au maître d'œuvre avant le démarrage des travaux.",
            "Les autocontrôles sont réalisés par le chef de chantier et consignés sur des fiches de suivi : "
            "implantation, fonds de fouille, ferraillages, coffrages, réservations, planéité et aplomb des "
            "maçonneries. Chaque fiche est signée et archivée ; elle est remise au maître d'œuvre sur "
            "simple demande et jointe au dossier des ouvrages exécutés.",
            "| Étape | Contrôle | Enregistrement |",
            "| Fondations | Fond de fouille et ferraillage | Fiche de point d'arrêt signée |",
            "| Élévations | Aplomb, planéité, réservations | Fiche d'autocontrôle |",
            "| Béton | Bons de livraison, éprouvettes | Registre des bétons |",
            "Les non-conformités détectées sont enregistrées, analysées et corrigées ; les actions "
            "correctives sont suivies jusqu'à leur clôture. Cette démarche s'inscrit dans notre "
            "certification ISO 9001.",
        ],
    ),
    (
        "Équipe affectée à l'opération",
        [
            "L'opération est encadrée par Claire Morel, directrice de travaux, qui assure la relation avec "
            "le maître d'ouvrage et arbitre les décisions importantes. Karim Benali, conducteur de travaux, "
            "est l'interlocuteur quotidien du maître d'œuvre : il prépare les plans d'exécution, conduit "
            "les réunions de chantier et suit le planning et la qualité.",
            "Sur le terrain, un chef de chantier gros œuvre est présent en permanence. Il organise le "
            "travail des compagnons, réalise les autocontrôles, tient le registre du chantier et accueille "
            "chaque nouvel intervenant. Il participe aux réunions hebdomadaires de chantier.",
            "L'équipe de production comprend des compagnons maçons et coffreurs salariés de l'entreprise, "
            "dont des opérateurs formés à la sous-section 4 pour les interventions sur matériaux amiantés. "
            "Sophie Garnier, animatrice qualité sécurité environnement, réalise des visites inopinées et "
            "suit les indicateurs de sécurité et de déchets.",
            "En cas d'absence d'un membre de l'encadrement, un remplaçant de même qualification, déjà "
            "informé du dossier, est désigné sans délai et présenté au maître d'œuvre.",
        ],
    ),
    (
        "Moyens matériels",
        [
            "Les moyens matériels affectés au chantier appartiennent à l'entreprise, ce qui nous garantit "
            "leur disponibilité et leur entretien. Ils sont vérifiés périodiquement par un organisme agréé "
            "et les rapports de vérification sont disponibles au bureau de chantier.",
            "| Matériel | Usage sur le chantier |",
            "| Grue à tour automotrice | Levage des banches, des armatures et des prédalles |",
            "| Mini-pelle | Démolition par grignotage et terrassements de l'extension |",
            "| Banches et coffrages modulaires | Voiles en béton armé |",
            "| Échafaudages de façade | Travaux en élévation et reprises de façade |",
            "Le petit matériel électroportatif est équipé d'aspiration intégrée pour limiter les poussières. "
            "Les engins sont choisis pour leur faible niveau sonore et sont coupés dès qu'ils ne sont pas "
            "utilisés.",
        ],
    ),
    (
        "Hygiène et sécurité sur le chantier",
        [
            "Notre plan particulier de sécurité et de protection de la santé (PPSPS) est rédigé pendant la "
            "période de préparation et transmis au coordonnateur SPS. Il analyse chaque phase de travaux, "
            "les risques qu'elle présente pour nos compagnons et pour les usagers, et les mesures retenues.",
            "Chaque personne qui entre sur le chantier reçoit un accueil sécurité réalisé par le chef de "
            "chantier : présentation des risques, des zones interdites, des consignes d'évacuation et des "
            "équipements de protection individuelle obligatoires. Un quart d'heure sécurité est animé "
            "chaque semaine sur un thème lié aux travaux en cours.",
            "Les protections collectives sont mises en place avant toute intervention en hauteur : "
            "garde-corps, filets, plateformes de travail. Les trémies sont protégées dès leur création. "
            "Les zones de levage sont balisées et interdites pendant les manœuvres.",
            "Les presque-accidents sont déclarés et analysés comme les accidents : c'est la condition "
            "pour en éviter la répétition.",
        ],
    ),
    (
        "Gestion et tri des déchets de chantier",
        [
            "Les déchets sont triés à la source, sur le chantier, dans des bennes identifiées par flux : "
            "inertes, bois, métaux, déchets non dangereux en mélange, plâtre. Les déchets dangereux, dont "
            "les déchets amiantés, sont conditionnés à part et stockés dans une zone fermée.",
            "Chaque flux est dirigé vers une filière de valorisation : les inertes vers une plateforme de "
            "concassage et de recyclage, les métaux vers un ferrailleur, le bois vers une filière de "
            "valorisation matière ou énergétique. Les bordereaux de suivi des déchets sont conservés et "
            "remis au maître d'œuvre ; un registre récapitule les tonnages par filière.",
            "Le chef de chantier vérifie chaque jour le bon usage des bennes et la propreté du chantier. "
            "Un nettoyage complet est réalisé en fin de semaine et avant toute restitution de zone aux "
            "usagers. Le taux de valorisation est suivi et présenté en fin de chantier.",
        ],
    ),
    (
        "Réduction des nuisances : bruit et poussière",
        [
            "Les nuisances sont traitées à la source. Nous utilisons des engins et des outils récents, à "
            "faible émission sonore, et privilégions les techniques les moins bruyantes : sciage plutôt "
            "que piquage, grignotage plutôt que brise-roche lorsque c'est possible.",
            "Les poussières sont limitées par l'arrosage des zones de démolition, l'aspiration à la source "
            "sur les outils de découpe, le bâchage des bennes et des stocks de granulats et le nettoyage "
            "régulier des voiries. Les zones de travaux intérieures sont isolées par des cloisons "
            "étanches et mises en dépression lorsque c'est nécessaire.",
            "Les riverains et les usagers sont informés à l'avance des travaux les plus bruyants. Un "
            "interlocuteur identifié recueille les remarques et y répond dans la journée.",
            "Les opérations les plus bruyantes sont regroupées sur des plages horaires annoncées, jamais "
            "en début de matinée ni pendant les temps de repos des usagers. Les compresseurs et groupes "
            "électrogènes sont capotés et placés le plus loin possible des locaux occupés, et les "
            "vibrations sont surveillées au droit des ouvrages conservés pendant les démolitions.",
        ],
    ),
    (
        "Méthodologie générale d'intervention",
        [
            "Notre méthodologie repose sur une préparation complète avant le premier coup de pioche. La "
            "période de préparation est consacrée à la visite contradictoire des existants, aux relevés, "
            "aux plans d'exécution et aux notes de calcul, à la rédaction du PPSPS et du plan d'assurance "
            "qualité, et à la commande des matériaux dont les délais d'approvisionnement sont longs.",
            "L'exécution suit un mode opératoire écrit pour chaque ouvrage important : démolition au droit "
            "de l'existant, reprises en sous-œuvre, coulage des voiles et des planchers. Chaque mode "
            "opératoire précise l'enchaînement des tâches, les moyens, les contrôles et les points "
            "d'arrêt ; il est présenté au maître d'œuvre avant le démarrage de la tâche concernée.",
            "La coordination avec les autres corps d'état est assurée par le conducteur de travaux : "
            "réservations, trémies et incorporations sont validées sur plan avant coulage, et les zones "
            "sont libérées propres pour les lots suivants. Les interfaces sont suivies dans un tableau "
            "partagé et examinées à chaque réunion de chantier.",
            "Enfin, nous préparons la réception dès le début du chantier : les documents du dossier des "
            "ouvrages exécutés sont rassemblés au fil de l'eau et non en fin d'opération.",
        ],
    ),
    (
        "Gros œuvre de l'extension : fondations, élévations et planchers",
        [
            "Les fondations sont exécutées après réception des fonds de fouille par le maître d'œuvre et, "
            "le cas échéant, par le géotechnicien. Les armatures sont façonnées en atelier selon les plans "
            "d'exécution visés, contrôlées sur site avant coulage, et le béton est mis en œuvre par "
            "pompage ou à la benne selon l'accessibilité.",
            "Les élévations sont réalisées en maçonnerie de blocs béton ou en voiles coulés en place selon "
            "les plans. Les voiles sont coffrés en banches métalliques, ce qui garantit la planéité des "
            "parements et limite les reprises avant enduit. Les chaînages, linteaux et appuis sont "
            "coulés en même temps que les maçonneries qu'ils reprennent.",
            "Les planchers sont réalisés en prédalles avec dalle de compression coulée en place. Les "
            "réservations des lots techniques sont positionnées avant coulage à partir des plans de "
            "synthèse validés ; aucune réservation n'est carottée après coup sans accord écrit.",
            "La liaison entre l'extension et le bâtiment existant fait l'objet d'un soin particulier : "
            "joint de dilatation, reprise d'étanchéité et traitement des fissures éventuelles relevées "
            "lors du constat contradictoire.",
        ],
    ),
    (
        "Organisation des moyens humains et matériels de l'entreprise",
        [
            "Nos moyens humains et matériels sont organisés pour qu'une équipe affectée à un chantier y "
            "reste jusqu'à la fin du gros œuvre. Les affectations sont décidées chaque semaine en réunion "
            "de planification par la direction de travaux, en tenant compte des phases de chaque chantier "
            "et des compétences nécessaires.",
            "Le parc de matériel est géré depuis notre dépôt de Serris par un responsable matériel. Il "
            "planifie les transferts entre chantiers, organise l'entretien préventif et tient à jour les "
            "vérifications périodiques réglementaires. Un matériel en panne est remplacé dans la journée "
            "par un matériel équivalent du parc.",
            "Les renforts ponctuels nécessaires en période de pointe sont assurés par des compagnons de "
            "nos autres équipes, déjà formés à nos méthodes, plutôt que par de l'intérim. Cette "
            "organisation garantit la continuité de l'encadrement et de la qualité d'exécution.",
        ],
    ),
    (
        "Démarche environnementale de l'entreprise",
        [
            "Notre démarche environnementale porte sur l'ensemble du cycle du chantier : choix des "
            "matériaux, approvisionnements, consommation d'eau et d'énergie, déchets et nuisances. Elle "
            "est animée par notre animatrice qualité sécurité environnement et suivie par des "
            "indicateurs présentés chaque année en revue de direction.",
            "Nous privilégions les fournisseurs proches du chantier et les livraisons groupées, afin de "
            "réduire les transports. Les bétons sont commandés au plus juste à partir des métrés "
            "d'exécution, et les chutes de coffrage sont réemployées lorsque c'est possible.",
            "Sur le chantier, les consommations d'eau et d'électricité sont relevées chaque mois. Les "
            "eaux de lavage des outils et des toupies sont décantées dans un bac prévu à cet effet et ne "
            "sont jamais rejetées au réseau. Les produits dangereux sont stockés sur rétention.",
            "Nos compagnons sont sensibilisés chaque année aux bons gestes environnementaux : tri, "
            "extinction des engins à l'arrêt, économie d'eau et propreté des abords.",
        ],
    ),
    (
        "Interfaces avec les autres lots et réunions de chantier",
        [
            "Le conducteur de travaux représente l'entreprise à chaque réunion de chantier, accompagné du "
            "chef de chantier. Il présente l'avancement, les difficultés rencontrées et les besoins "
            "d'informations, et diffuse en interne les décisions prises.",
            "Les interfaces avec les lots techniques et les lots de second œuvre sont préparées en amont : "
            "plans de réservation, calendrier des interventions communes, zones de stockage partagées. "
            "Toute modification demandée en cours de chantier fait l'objet d'une confirmation écrite "
            "avant exécution.",
            "Nous libérons chaque zone dans un état propre et sûr pour l'entreprise suivante et réalisons "
            "avec elle un constat d'état des supports, afin d'éviter toute contestation ultérieure.",
        ],
    ),
    (
        "Réception, dossier des ouvrages exécutés et garantie",
        [
            "Les opérations préalables à la réception sont préparées par une visite interne de "
            "l'encadrement, zone par zone, qui permet de corriger les défauts avant la visite du maître "
            "d'œuvre. Les réserves éventuelles sont levées dans les délais fixés au procès-verbal.",
            "Le dossier des ouvrages exécutés rassemble les plans conformes à l'exécution, les notes de "
            "calcul, les fiches techniques des produits mis en œuvre, les fiches d'autocontrôle et les "
            "bordereaux de suivi des déchets. Il est remis sous format papier et numérique.",
            "Pendant l'année de parfait achèvement, le conducteur de travaux reste l'interlocuteur du "
            "maître d'ouvrage : toute demande est prise en compte sous 48 heures et les interventions "
            "sont planifiées en accord avec l'établissement.",
        ],
    ),
]

SERVICES_COVER = {
    "Acheteur": "Ville de Chessy",
    "Objet": "Maintenance et petits travaux d'entretien des bâtiments communaux",
    "Lieu d'exécution": "bâtiments communaux de la Ville de Chessy",
    "Date": "12/03/2024",
}

SERVICES: list[Section] = [
    (
        "Présentation de l'entreprise et de son activité d'entretien",
        [
            "BRV Construction est une entreprise de bâtiment implantée à Serris. À côté de ses chantiers "
            "de gros œuvre et de réhabilitation, elle assure pour des collectivités la maintenance et les "
            "petits travaux d'entretien de leur patrimoine bâti, avec une équipe dédiée à cette activité.",
            "Cette double compétence est un atout pour la collectivité : nos techniciens d'entretien "
            "s'appuient sur le savoir-faire de nos équipes de travaux pour les interventions plus "
            "lourdes (reprise de maçonnerie, renforcement, ouverture de baie), sans changer "
            "d'interlocuteur ni de circuit de commande.",
            "Notre certification ISO 9001 couvre l'activité de maintenance : l'enregistrement des "
            "demandes, la planification, le contrôle des interventions et le traitement des "
            "réclamations suivent des procédures écrites et auditées.",
        ],
    ),
    (
        "Compréhension du besoin et périmètre de la prestation",
        [
            "La Ville de Chessy confie à un prestataire unique la maintenance et les petits travaux "
            "d'entretien de ses bâtiments communaux : écoles, équipements sportifs, bâtiments "
            "administratifs et culturels. Le marché est un accord-cadre à bons de commande : la prestation "
            "doit donc être réactive, traçable et facile à piloter pour les services techniques.",
            "Nous retenons trois attentes principales. La première est la continuité de service : les "
            "bâtiments accueillent du public et une panne ou un désordre doit être traité avant qu'il ne "
            "gêne l'activité. La deuxième est la visibilité : la collectivité doit savoir à tout moment "
            "où en est chaque demande et ce qu'elle a coûté. La troisième est la prévention : un "
            "entretien régulier coûte moins cher que des réparations d'urgence.",
            "Notre réponse s'appuie sur une équipe dédiée, un outil de suivi des demandes partagé avec "
            "les services techniques et un plan de maintenance préventive établi dès le démarrage.",
        ],
    ),
    (
        "Organisation de la prestation et interlocuteur unique",
        [
            "La prestation est pilotée par un responsable de contrat, interlocuteur unique des services "
            "techniques. Il reçoit les demandes, les qualifie, établit les devis, planifie les "
            "interventions et en contrôle la bonne exécution. Il est joignable aux heures ouvrées et "
            "remplacé par un suppléant désigné pendant ses absences.",
            "Les interventions sont réalisées par des techniciens polyvalents (maçonnerie, plâtrerie, "
            "menuiserie, peinture, plomberie courante) qui connaissent les bâtiments et leurs occupants. "
            "Pour les travaux spécialisés, nous faisons appel à des partenaires réguliers dont nous "
            "restons responsables vis-à-vis de la collectivité.",
            "Chaque intervention donne lieu à un bon d'intervention signé par l'occupant ou le "
            "gestionnaire du bâtiment, qui indique la nature des travaux, le temps passé, les fournitures "
            "et les éventuelles suites à donner.",
        ],
    ),
    (
        "Prise en charge des demandes et outil de suivi",
        [
            "Les demandes sont transmises par téléphone, par courriel ou directement dans notre outil de "
            "gestion de maintenance assistée par ordinateur (GMAO), accessible aux agents de la "
            "collectivité par un simple navigateur. Chaque demande reçoit un numéro, une priorité et un "
            "délai cible ; son demandeur est informé à chaque changement d'état.",
            "- Enregistrement et accusé de réception de la demande dans l'heure ouvrée.",
            "- Qualification de la priorité avec le demandeur : urgence, prioritaire, programmable.",
            "- Devis transmis pour validation avant toute intervention non urgente.",
            "- Clôture de la demande après signature du bon d'intervention, photos à l'appui.",
            "L'historique de chaque bâtiment et de chaque équipement est conservé dans la GMAO. Il sert à "
            "repérer les pannes répétitives et à proposer les travaux qui les feront cesser.",
        ],
    ),
    (
        "Délais d'intervention et astreinte",
        [
            "Nos délais d'intervention dépendent de la priorité de la demande. Une urgence, qui met en "
            "cause la sécurité des personnes ou la continuité d'activité d'un bâtiment, est prise en charge "
            "dans un délai de 4 heures, 24 heures sur 24 et 7 jours sur 7. Une demande prioritaire est "
            "traitée sous 48 heures ouvrées ; une demande programmable est planifiée avec le demandeur.",
            "| Priorité | Exemple | Délai d'intervention |",
            "| Urgence | Fuite d'eau, vitrage cassé, porte d'issue de secours bloquée | 4 heures |",
            "| Prioritaire | Serrure défectueuse, infiltration limitée | 48 heures ouvrées |",
            "| Programmable | Reprise de peinture, petit aménagement | selon planning convenu |",
            "En dehors des heures ouvrées, une astreinte téléphonique est assurée par un technicien et un "
            "cadre d'astreinte. La mise en sécurité est réalisée immédiatement ; la réparation définitive "
            "est ensuite planifiée avec les services techniques.",
        ],
    ),
    (
        "Maintenance préventive",
        [
            "Dès le démarrage, nous réalisons un état des lieux de chaque bâtiment : couvertures, "
            "gouttières, menuiseries extérieures, portes et ferme-portes, sols, peintures, équipements "
            "sanitaires. Cet état des lieux, photographié et saisi dans la GMAO, sert de base au plan de "
            "maintenance préventive.",
            "Le plan de maintenance préventive fixe pour chaque bâtiment les visites et les opérations "
            "périodiques : nettoyage des gouttières et des descentes d'eaux pluviales avant l'hiver, "
            "vérification et réglage des menuiseries et ferme-portes, contrôle des joints sanitaires, "
            "reprise des petites dégradations. Il est validé par les services techniques et ajusté chaque "
            "année.",
            "Les interventions préventives dans les écoles sont concentrées pendant les vacances scolaires, "
            "en accord avec les directions, afin de ne pas gêner l'activité.",
        ],
    ),
    (
        "Démarrage de la prestation et transfert de connaissances",
        [
            "La période de démarrage dure un mois. Elle commence par une réunion de lancement avec les "
            "services techniques, au cours de laquelle sont validés les circuits de demande, les contacts "
            "par bâtiment, les règles d'accès et de remise des clés et le format des rapports.",
            "Nous visitons ensuite chaque bâtiment avec son gestionnaire. Ces visites permettent de "
            "recueillir la connaissance des agents : points faibles connus, interventions récentes, "
            "contraintes d'occupation. Elles alimentent la GMAO et le plan de maintenance préventive.",
            "À la fin du mois de démarrage, une revue avec la collectivité vérifie que les circuits "
            "fonctionnent et que chaque bâtiment est décrit dans l'outil. Les ajustements nécessaires "
            "sont décidés à cette occasion.",
        ],
    ),
    (
        "Moyens humains et formation du personnel",
        [
            "L'équipe dédiée comprend un responsable de contrat et des techniciens polyvalents salariés de "
            "l'entreprise. Chaque technicien dispose d'une habilitation électrique adaptée aux "
            "interventions courantes et d'une formation au travail en hauteur.",
            "Nos techniciens suivent chaque année un plan de formation : sécurité, gestes et postures, "
            "intervention en milieu occupé, utilisation de la GMAO et des nouveaux matériaux. Les "
            "nouveaux arrivants sont accompagnés par un technicien expérimenté pendant leurs premières "
            "semaines sur le contrat.",
            "En cas d'absence d'un technicien, un remplaçant déjà formé aux bâtiments de la collectivité "
            "prend le relais, de sorte que les délais d'intervention sont tenus toute l'année.",
        ],
    ),
    (
        "Moyens matériels et véhicules",
        [
            "Chaque technicien dispose d'un véhicule utilitaire équipé d'un stock de fournitures courantes "
            "(quincaillerie, joints, visserie, peinture de retouche) et de l'outillage nécessaire aux "
            "interventions les plus fréquentes, ce qui permet de traiter la majorité des demandes dès le "
            "premier passage.",
            "Le matériel plus lourd est mis à disposition depuis notre dépôt de Serris : échafaudages "
            "roulants, nacelle, matériel de découpe avec aspiration. Les équipements sont vérifiés "
            "périodiquement et tenus à disposition pour les interventions programmées.",
        ],
    ),
    (
        "Qualité de service, indicateurs et comités de pilotage",
        [
            "La qualité de service est mesurée par des indicateurs suivis dans la GMAO et communiqués "
            "chaque mois aux services techniques : respect des délais d'intervention par priorité, nombre "
            "de demandes ouvertes et clôturées, délai moyen de clôture, interventions répétées sur un même "
            "équipement, avancement du plan de maintenance préventive.",
            "Un comité de pilotage trimestriel réunit le responsable de contrat, sa direction et les "
            "services techniques. Il examine les indicateurs, les difficultés rencontrées et les "
            "propositions d'amélioration. Un compte rendu est diffusé dans la semaine.",
            "Chaque année, un rapport d'activité présente le bilan des interventions par bâtiment et "
            "propose un programme de travaux pour réduire les dépenses de maintenance curative.",
        ],
    ),
    (
        "Sécurité des intervenants et des occupants",
        [
            "Toute intervention en bâtiment occupé commence par un contact avec le gestionnaire du site, "
            "qui indique les zones occupées et les contraintes du jour. La zone d'intervention est balisée "
            "et les outils ne sont jamais laissés sans surveillance en présence du public.",
            "Les interventions bruyantes ou présentant un risque pour les occupants sont réalisées en "
            "dehors des heures d'ouverture. Les produits utilisés sont choisis à faible émission et leurs "
            "fiches de données de sécurité sont disponibles dans chaque véhicule.",
            "Nos techniciens portent les équipements de protection individuelle adaptés et respectent le "
            "plan de prévention établi avec la collectivité pour chaque bâtiment.",
        ],
    ),
    (
        "Démarche environnementale de la prestation",
        [
            "Nos interventions limitent les déplacements : les tournées sont regroupées par secteur et les "
            "demandes programmables sont planifiées pour être traitées en un seul passage. Les véhicules "
            "sont entretenus régulièrement et leur consommation est suivie.",
            "Les déchets produits lors des interventions sont rapportés au dépôt, triés et orientés vers "
            "les filières adaptées. Les peintures et produits sont choisis parmi les produits à faible "
            "teneur en composés organiques volatils, et les pièces remplacées sont, lorsque c'est "
            "possible, réparées plutôt que jetées.",
        ],
    ),
    (
        "Petits travaux sur bons de commande : devis et exécution",
        [
            "Les petits travaux sont commandés par bons de commande sur la base du bordereau de prix "
            "unitaires. Pour chaque demande, nous établissons un devis détaillé à partir des prix du "
            "bordereau, accompagné si nécessaire de photos et d'une description de la solution proposée.",
            "Après validation du bon de commande, l'intervention est planifiée avec le gestionnaire du "
            "bâtiment, en tenant compte de l'occupation des locaux. Les fournitures sont commandées dès "
            "la validation afin que les travaux puissent être réalisés en une seule intervention.",
            "À la fin des travaux, le bâtiment est nettoyé et rendu en état de fonctionnement. Le bon "
            "d'intervention signé, les photos avant et après et, le cas échéant, les fiches techniques "
            "des produits posés sont joints à la demande dans la GMAO, ce qui facilite la vérification du "
            "service fait et le paiement.",
            "Les écarts éventuels entre le devis et la réalisation sont signalés avant exécution et ne "
            "sont jamais facturés sans accord préalable.",
        ],
    ),
    (
        "Gestion des clés, des accès et de la confidentialité",
        [
            "Les clés et badges confiés par la collectivité sont enregistrés dans un registre, rangés "
            "dans une armoire fermée à notre dépôt et remis aux techniciens contre signature pour la "
            "durée de l'intervention. Toute perte est signalée immédiatement à la collectivité.",
            "Nos techniciens respectent les consignes d'accès de chaque bâtiment : horaires, "
            "présentation à l'accueil, fermeture des locaux et remise en service des alarmes à la fin de "
            "l'intervention. Ils portent une tenue et un badge au nom de l'entreprise.",
            "Les informations recueillies dans les bâtiments (plans, codes, documents des services) sont "
            "traitées de manière confidentielle et ne sont utilisées que pour l'exécution du contrat.",
        ],
    ),
    (
        "Interventions dans les établissements recevant du public",
        [
            "Une grande partie des bâtiments communaux reçoit du public : écoles, accueils de loisirs, "
            "équipements sportifs, salles municipales. Nos interventions y sont organisées pour ne jamais "
            "compromettre la sécurité des usagers ni les conditions d'évacuation.",
            "- Aucune issue de secours ni aucun dégagement n'est encombré, même temporairement.",
            "- Les interventions dans les classes et les dortoirs ont lieu hors présence des enfants.",
            "- Les travaux par points chauds font l'objet d'un permis de feu délivré par le gestionnaire.",
            "- Les produits et outillages ne sont jamais laissés accessibles au public.",
            "Lorsqu'une intervention modifie un équipement de sécurité (bloc porte coupe-feu, ferme-porte, "
            "barre antipanique), nous en informons le gestionnaire et consignons l'intervention dans le "
            "registre de sécurité de l'établissement.",
            "Les interventions importantes dans les écoles sont programmées pendant les vacances "
            "scolaires, en accord avec les directions d'école et le service enfance.",
        ],
    ),
    (
        "Suivi des contrôles réglementaires et levée des observations",
        [
            "Les bâtiments font l'objet de vérifications périodiques par des organismes agréés. Sur "
            "demande de la collectivité, nous analysons les rapports de vérification et proposons un "
            "devis pour lever les observations qui relèvent de notre périmètre : portes, ferme-portes, "
            "garde-corps, éclairage de sécurité accessible, signalétique, petites reprises de maçonnerie.",
            "Chaque observation levée est documentée dans la GMAO avec une photo et la date de "
            "l'intervention, de sorte que la collectivité puisse justifier la levée lors de la visite "
            "suivante ou de la commission de sécurité.",
            "| Observation | Action | Justificatif |",
            "| Ferme-porte défectueux | Remplacement et réglage | Bon d'intervention et photo |",
            "| Garde-corps descellé | Rescellement et contrôle de tenue | Fiche d'autocontrôle |",
            "| Signalétique manquante | Pose de la signalétique conforme | Photo après pose |",
            "Un tableau de suivi des observations, mis à jour après chaque intervention, est remis "
            "chaque trimestre au comité de pilotage.",
        ],
    ),
    (
        "Continuité de service et gestion des imprévus",
        [
            "La continuité de service est assurée par l'organisation de l'équipe : chaque bâtiment est "
            "connu d'au moins deux techniciens, les congés sont planifiés pour maintenir l'effectif, et un "
            "suppléant est désigné pour le responsable de contrat.",
            "En cas d'événement exceptionnel (intempéries, dégâts des eaux sur plusieurs sites, "
            "effraction), nous mobilisons les équipes de travaux de l'entreprise en renfort. La mise en "
            "sécurité des bâtiments est traitée en priorité, puis les réparations sont planifiées avec "
            "les services techniques selon l'importance de chaque site.",
            "Les stocks de fournitures courantes du dépôt sont dimensionnés pour faire face à ces "
            "situations sans attendre de nouvelles livraisons.",
        ],
    ),
    (
        "Rapport annuel et propositions d'amélioration",
        [
            "Chaque année, nous remettons à la collectivité un rapport qui présente, bâtiment par "
            "bâtiment, les interventions réalisées, leur coût et les désordres récurrents. Il compare les "
            "dépenses de maintenance préventive et curative et signale les équipements dont l'état "
            "justifie un remplacement.",
            "Le rapport propose un programme de travaux hiérarchisé : mises en sécurité, travaux qui "
            "réduiront les interventions répétées, améliorations du confort et des consommations. Chaque "
            "proposition est chiffrée à partir du bordereau de prix et accompagnée de photos.",
            "Ce rapport est présenté en comité de pilotage ; les propositions retenues alimentent le plan "
            "de maintenance de l'année suivante.",
        ],
    ),
    (
        "Réversibilité et fin de contrat",
        [
            "La fin du contrat est préparée comme son démarrage. Trois mois avant l'échéance, nous "
            "remettons à la collectivité un plan de réversibilité qui décrit les informations transmises, "
            "le calendrier et les personnes chargées de la transition.",
            "Nous transmettons l'historique complet de la GMAO dans un format ouvert, l'état à jour de "
            "chaque bâtiment, le plan de maintenance préventive et la liste des demandes en cours. Les "
            "clés et badges sont restitués contre décharge. Nous participons, si la collectivité le "
            "souhaite, à une réunion de passation avec le nouveau titulaire.",
        ],
    ),
]


def _document(title: str, cover: dict[str, str], sections: list[Section]) -> docx.document.Document:
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(11)
    d.add_paragraph("BRV Construction – Bâtiments Rénovation du Val SAS")
    d.add_paragraph("MÉMOIRE TECHNIQUE", style="Title")
    d.add_paragraph(title)
    for label, value in cover.items():
        d.add_paragraph(f"{label} : {value}")
    d.add_page_break()
    d.add_paragraph("Sommaire", style="Title")
    for number, (heading, _) in enumerate(sections, start=1):
        d.add_paragraph(f"{number}. {heading}")
    d.add_page_break()
    for number, (heading, paragraphs) in enumerate(sections, start=1):
        d.add_heading(f"{number}. {heading}", 1)
        rows: list[list[str]] = []
        for text in [*paragraphs, ""]:
            if text.startswith("| "):
                rows.append([c.strip() for c in text.strip("| ").split(" | ")])
                continue
            if rows:
                table = d.add_table(rows=0, cols=len(rows[0]))
                table.style = "Table Grid"
                for row in rows:
                    for cell, value in zip(table.add_row().cells, row, strict=True):
                        cell.text = value
                rows = []
            if text.startswith("- "):
                d.add_paragraph(text[2:], style="List Bullet")
            elif text:
                d.add_paragraph(text)
    return d


def _bytes(document: docx.document.Document) -> bytes:
    props = document.core_properties
    props.author = "BRV Construction"
    props.created = props.modified = props.last_printed = FIXED
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-14T09:00:00Z", data)
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    return out.getvalue()


FILES = {
    "memoire_travaux_groupe_scolaire_2025.docx": (
        "Réhabilitation et extension du groupe scolaire Jean Moulin – lot n° 1 gros œuvre",
        WORKS_COVER,
        WORKS,
    ),
    "memoire_services_maintenance_batiments_2024.docx": (
        "Maintenance et petits travaux d'entretien des bâtiments communaux",
        SERVICES_COVER,
        SERVICES,
    ),
}


def main() -> None:
    OUT_DIR.mkdir(exist_ok=True)
    for name, (title, cover, sections) in FILES.items():
        (OUT_DIR / name).write_bytes(_bytes(_document(title, cover, sections)))
        print(f"{OUT_DIR / name}")


if __name__ == "__main__":
    main()
