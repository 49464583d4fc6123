"""English lexicons for the sample generator: topics, general vocabulary and names.

Why so many words: two generated pages must share few word 5-grams (near-duplicate detection
needs clean negatives) and a page must not repeat itself (Gopher's repetition rules), so slots
are filled from topic lexicons of a few dozen to a hundred entries each, several thousand words
in all. Entries are checked by the tests against the LDNOOBW list, so innocent phrases that C4
would drop ("a big black dog", "the girl on the quay", "tied up at the jetty") are avoided here.
"""

from __future__ import annotations

from dataclasses import dataclass

from devkit.sample.grammar import words


@dataclass(frozen=True, slots=True)
class Topic:
    """The vocabulary of one subject area; every list is non-empty."""

    name: str
    nouns: tuple[str, ...]
    """Countable things of the topic, singular ("footbridge")."""
    adjs: tuple[str, ...]
    verbs: tuple[str, ...]
    """Transitive verbs, base form ("repair"); inflected by `grammar`."""
    places: tuple[str, ...]
    """Locations, without article ("market square")."""
    roles: tuple[str, ...]
    """People by role, singular ("head gardener")."""
    subjects: tuple[str, ...]
    """Noun phrases a page can be about ("the new footbridge plan")."""


def _topic(name: str, nouns: str, adjs: str, verbs: str, places: str, roles: str, subjects: str) -> Topic:
    subject_phrases = tuple(w for w in words(subjects) if w != "the")  # "the" is the templates' job
    return Topic(name, words(nouns), words(adjs), words(verbs), words(places), words(roles), subject_phrases)


# ----------------------------------------------------------------------------------------------
# Web topics (news, blogs, guides, shops)

WEB_TOPICS: tuple[Topic, ...] = (
    _topic(
        "local_news",
        """footbridge bypass library budget planning_application roundabout car_park bus_route
        consultation petition council_tax pothole crossing bin_collection street_light cycle_lane
        community_centre playground swimming_pool allotment_site housing_estate parking_permit
        speed_camera flood_barrier sea_wall pavement zebra_crossing market_stall town_hall_meeting
        school_extension sports_pavilion war_memorial clock_tower bus_shelter recycling_centre
        public_toilet bandstand skate_park viewing_platform road_closure diversion resurfacing_scheme
        noise_complaint licensing_decision grant tender contract survey ballot amendment motion
        vote deadline objection proposal""",
        """controversial long-awaited overdue costly popular local temporary permanent disputed
        revised cross-party unanimous narrow historic derelict busy quiet vacant listed crumbling
        ambitious modest cautious""",
        """approve reject delay fund repair close reopen resurface extend demolish refurbish
        review consult postpone question oppose welcome criticise announce inspect relocate
        install replace scrap defend""",
        """market_square high_street riverside ring_road town_centre railway_station harbour
        industrial_estate village_green old_mill retail_park civic_centre north_ward east_quay
        conservation_area church_lane""",
        """councillor mayor resident shopkeeper trader planning_officer campaigner engineer
        spokesperson headteacher landlord commuter cabinet_member ward_member parish_clerk""",
        """the new_footbridge_plan the bypass_extension the library_closure the parking_review
        the flood_defence_scheme the market_relocation the cycle_lane_trial the bus_route_changes
        the council_budget the harbour_redevelopment""",
    ),
    _topic(
        "cooking",
        """onion garlic_clove shallot leek carrot parsnip celeriac courgette aubergine pepper
        chilli lemon lime orange apricot plum fig pear apple quince mushroom chickpea lentil
        saucepan frying_pan casserole baking_tray wooden_spoon whisk colander grater ladle
        rolling_pin mixing_bowl oven grill pastry dough crust loaf biscuit sponge cake tart
        crumble stew broth risotto omelette pancake dumpling noodle curry salad dressing marinade
        glaze sauce stock spice herb sprig pinch tablespoon teaspoon handful fillet thigh
        chop steak sausage anchovy sardine mackerel prawn mussel egg yolk""",
        """golden crisp tender fluffy creamy tangy smoky fragrant zesty rich silky crumbly
        caramelised roasted toasted chopped grated sliced diced fresh dried seasonal homemade
        leftover ripe sticky sweet savoury peppery buttery earthy""",
        """simmer stir whisk fold knead season drizzle sprinkle roast bake braise poach toast
        grate slice chop dice marinate glaze reduce strain mash blend serve garnish taste
        preheat caramelise soak rinse""",
        """kitchen larder farmers'_market allotment bakery deli fishmonger village_shop
        countertop pantry""",
        """home_cook chef baker food_writer grandmother neighbour butcher fishmonger greengrocer
        dinner_guest""",
        """slow-roasted_tomato_soup lemon_and_thyme_chicken spiced_lentil_stew
        sourdough_loaf plum_and_almond_tart mushroom_risotto leek_and_potato_pie
        smoky_aubergine_dip ginger_biscuits chickpea_curry""",
    ),
    _topic(
        "travel",
        """ferry ferry_crossing night_train sleeper_cabin rail_pass boarding_pass passport visa
        itinerary guidebook hostel guesthouse campsite rucksack suitcase map timetable tram
        cable_car funicular harbour_cruise walking_tour museum gallery cathedral monastery
        fortress lighthouse viewpoint promenade waterfront bazaar souk vineyard hot_spring
        glacier gorge waterfall lagoon island peninsula headland beach cove dune oasis
        ferry_terminal layover jet_lag currency phrasebook souvenir postcard boutique_hotel""",
        """remote scenic crowded bustling sleepy overpriced affordable picturesque rugged
        windswept sun-drenched medieval colonial whitewashed cobbled hidden off-season
        unforgettable chaotic charming breathtaking humid""",
        """visit explore book cancel pack recommend avoid photograph cross climb reach hire
        navigate skip queue board wander discover sample haggle postpone revisit""",
        """old_town harbour_front train_station main_square mountain_pass river_delta coastal_road
        fishing_village city_walls hill_fort national_park border_town airport_lounge""",
        """traveller backpacker tour_guide hotel_owner ferry_captain taxi_driver local_guide
        innkeeper ranger fellow_passenger""",
        """the coastal_railway the old_harbour_town the mountain_monastery the island_ferry
        the night_train_to_the_coast the salt_flats the desert_oasis the glacier_walk
        the wine_valley the lake_district""",
    ),
    _topic(
        "gardening",
        """seedling cutting bulb tuber hedge shrub perennial climbing_rose clematis lavender
        rosemary sage mint chive tomato_plant runner_bean broad_bean courgette_plant pumpkin
        squash raspberry_cane gooseberry_bush apple_tree pear_tree plum_tree compost_heap
        leaf_mould mulch trowel spade fork rake wheelbarrow watering_can greenhouse
        cold_frame cloche raised_bed border lawn meadow pond slug snail aphid ladybird
        bumblebee hoverfly earthworm frost drought seed_tray pot trellis fence water_barrel""",
        """hardy tender evergreen deciduous drought-tolerant shady sunny sheltered waterlogged
        sandy clay-heavy acidic well-drained overgrown tidy wild self-seeding fragrant
        compact vigorous early late""",
        """sow plant prune water mulch dig divide transplant harvest stake feed deadhead
        propagate repot net thin fertilise protect train""",
        """allotment vegetable_patch kitchen_garden herb_border orchard front_garden
        back_garden greenhouse potting_shed community_garden""",
        """gardener allotment_holder plot_neighbour nursery_owner head_gardener beekeeper
        garden_designer volunteer""",
        """the winter_vegetable_patch the new_herb_border the wildlife_pond the no-dig_beds
        the old_apple_trees the tomato_harvest the spring_bulbs the raised_beds""",
    ),
    _topic(
        "finance",
        """savings_account pension mortgage interest_rate overdraft credit_card loan budget
        spreadsheet receipt invoice salary bonus payslip tax_return allowance deduction
        index_fund share bond dividend portfolio emergency_fund direct_debit standing_order
        subscription utility_bill energy_tariff insurance_policy premium excess deposit
        rent landlord_agreement household_budget inflation_figure price_rise discount voucher
        cashback_offer fee commission""",
        """monthly annual fixed variable tax-free hidden unexpected affordable expensive
        sensible risky cautious diversified overdue frugal generous competitive""",
        """save invest borrow repay budget track cancel switch compare negotiate claim
        consolidate review reduce increase automate withdraw deposit calculate estimate""",
        """high_street_bank building_society credit_union comparison_site
        kitchen_table spreadsheet""",
        """financial_adviser accountant saver first-time_buyer pensioner mortgage_broker
        bank_manager reader freelancer""",
        """the household_budget the emergency_fund the first_mortgage the pension_pot
        the energy_bill the monthly_spending_plan the credit_card_debt the rainy-day_savings""",
    ),
    _topic(
        "fitness",
        """training_plan interval_session tempo_run long_run warm-up cool-down stretch
        hamstring calf_muscle knee ankle shoulder posture running_shoe heart_rate_monitor
        treadmill rowing_machine kettlebell dumbbell resistance_band yoga_mat plank squat
        lunge press-up sit-up sprint hill_repeat rest_day recovery_drink blister injury
        physiotherapist personal_best race_number finish_line half_marathon relay parkrun""",
        """steady gentle brutal exhausting sore stiff flexible consistent gradual sustainable
        aerobic explosive demanding rewarding sluggish""",
        """train stretch strengthen build recover pace track improve rest fuel warm_up
        complete attempt increase lower maintain""",
        """running_track gym park riverside_path leisure_centre hill_trail
        sports_hall village_green""",
        """runner coach physio training_partner beginner club_captain marathon_runner
        yoga_teacher""",
        """the first_half_marathon the winter_training_block the couch-to-5k_plan
        the new_strength_routine the knee_injury the morning_runs""",
    ),
    _topic(
        "technology",
        """laptop smartphone tablet battery charger cable keyboard trackpad monitor router
        modem firmware update operating_system browser extension password_manager backup
        hard_drive memory_card processor graphics_card fan speaker headphone microphone
        webcam printer scanner smartwatch e-reader camera_module touchscreen stylus
        notification setting app cloud_service storage_plan screen_protector case""",
        """wireless portable refurbished sluggish responsive bright dim glossy matte
        lightweight bulky rugged cheap premium outdated reliable glitchy intuitive""",
        """install update restart configure reset charge replace upgrade repair unbox sync
        test benchmark disable enable troubleshoot recommend back_up""",
        """home_office living_room repair_shop electronics_store coffee_shop
        train_carriage""",
        """reviewer technician user developer support_agent early_adopter
        shop_assistant student""",
        """the new_laptop the budget_smartphone the home_router the noise-cancelling_headphones
        the e-reader the smartwatch the mechanical_keyboard the portable_monitor""",
    ),
    _topic(
        "music",
        """album single chorus verse melody harmony rhythm tempo chord riff bassline drum_kit
        snare cymbal violin cello viola double_bass trumpet trombone saxophone clarinet
        flute oboe harp piano keyboard synthesiser amplifier microphone setlist encore
        rehearsal recording_session studio choir orchestra quartet band festival stage
        vinyl_record cassette playlist lyric songwriter_credit""",
        """haunting upbeat melancholy lively raw polished acoustic electric orchestral
        soulful catchy intricate minimalist experimental nostalgic brooding joyful""",
        """record release perform rehearse compose arrange tour cover remix produce
        conduct tune sing strum mix master""",
        """concert_hall village_hall jazz_club recording_studio festival_field
        music_school bandstand""",
        """guitarist drummer singer violinist pianist conductor producer songwriter
        sound_engineer bandleader""",
        """the debut_album the summer_festival the farewell_tour the string_quartet
        the reissued_record the village_choir the new_single""",
    ),
    _topic(
        "film",
        """film documentary series episode season trailer screenplay script director_cut
        cinematographer soundtrack score scene sequence cliffhanger plot twist character
        villain hero ensemble_cast premiere box_office_run festival_screening sequel remake
        adaptation subtitle dubbing streaming_service cinema projector""",
        """gripping slow-burning overlong stylish uneven moving bleak witty tense predictable
        ambitious understated lavish grainy""",
        """direct film edit premiere stream review adapt recast cut release
        rewatch recommend""",
        """cinema film_festival screening_room living_room film_set""",
        """director actor critic screenwriter producer editor viewer film_student""",
        """the new_crime_series the festival_documentary the long-awaited_sequel
        the silent-era_restoration the animated_feature""",
    ),
    _topic(
        "sport",
        """match fixture league table cup_tie penalty corner free_kick goal header tackle
        substitute captain squad referee linesman stadium pitch kit transfer_window
        season_ticket derby relegation promotion play-off final semi-final replay
        scrum try conversion wicket innings over boundary rally serve tiebreak lap
        podium medal trophy""",
        """dramatic scrappy dominant resilient nervy physical attacking defensive
        unbeaten relegated injured promoted""",
        """score defend concede equalise win lose draw sign release coach train
        appeal referee support cheer""",
        """home_ground away_end training_ground stadium dressing_room touchline
        cricket_pavilion""",
        """striker goalkeeper defender midfielder manager coach referee supporter
        chairman wicketkeeper fly-half""",
        """the cup_run the derby_match the relegation_battle the new_signing
        the title_race the local_club""",
    ),
    _topic(
        "home_improvement",
        """wall ceiling floorboard skirting_board door_frame window_sill radiator boiler
        pipe tap sink shower tile grout sealant plaster paint primer brush roller
        sandpaper drill screwdriver spirit_level tape_measure ladder shelf bracket cupboard
        worktop hinge handle lock damp_patch insulation loft extension patio decking
        fence_panel""",
        """damp draughty cracked uneven sturdy flimsy glossy matt waterproof
        load-bearing original rotten freshly_painted""",
        """sand paint plaster tile grout seal drill fit replace strip insulate
        measure level repair bleed renovate""",
        """hallway kitchen bathroom loft garage cellar spare_room porch
        utility_room""",
        """builder plumber electrician joiner decorator homeowner tenant
        surveyor neighbour""",
        """the bathroom_renovation the loft_conversion the kitchen_refit
        the damp_problem the garden_shed_project""",
    ),
    _topic(
        "pets",
        """puppy kitten rescue_dog lead harness collar kennel crate litter_tray scratching_post
        food_bowl chew_toy vet_appointment vaccination flea_treatment worming_tablet
        rabbit hutch guinea_pig hamster budgie parrot goldfish tortoise aquarium
        grooming_brush dog_bed treat walk""",
        """playful timid nervous loyal energetic sleepy curious affectionate stubborn
        well-behaved greedy""",
        """adopt train groom walk feed reward socialise vaccinate brush rehome
        exercise""",
        """dog_park rescue_centre vet_surgery back_garden beach woodland_path""",
        """owner vet dog_walker trainer volunteer breeder neighbour""",
        """the rescue_greyhound the new_kitten the elderly_spaniel the two_rabbits
        the puppy_classes""",
    ),
    _topic(
        "cycling",
        """bike frame saddle handlebar pedal chain cassette derailleur brake_pad tyre inner_tube
        puncture pump helmet pannier mudguard light_set lock cycle_path towpath climb descent
        headwind tailwind sportive audax club_ride cafe_stop route_map gear cleat""",
        """hilly flat gravelly muddy smooth steep gruelling leisurely windy""",
        """ride climb descend pedal repair pump lube service commute tour
        overtake""",
        """towpath cycle_path country_lane hill_climb bike_shop railway_path""",
        """cyclist mechanic club_member commuter touring_cyclist ride_leader""",
        """the coast-to-coast_ride the winter_commute the gravel_route the club_sportive""",
    ),
    _topic(
        "photography",
        """camera lens tripod shutter aperture exposure sensor filter flash viewfinder
        memory_card portrait landscape composition foreground background horizon
        silhouette shadow highlight histogram raw_file print darkroom negative
        contact_sheet zoom_lens prime_lens""",
        """sharp blurry grainy moody overexposed underexposed wide-angle candid
        golden-hour""",
        """frame photograph expose focus edit crop print develop bracket capture""",
        """studio darkroom seafront city_street woodland harbour_wall""",
        """photographer model editor gallery_owner student""",
        """the winter_landscapes the street_portraits the film_camera the harbour_series""",
    ),
    _topic(
        "science",
        """telescope satellite comet asteroid orbit galaxy nebula supernova exoplanet
        spectrum wavelength particle detector experiment sample specimen cell protein
        gene enzyme bacterium virus vaccine fossil sediment ice_core glacier coral_reef
        rainforest species habitat ecosystem climate_model carbon_emission dataset study
        hypothesis trial measurement observatory laboratory microscope""",
        """remarkable unexpected tentative preliminary peer-reviewed ancient microscopic
        distant faint dense rare abundant warming""",
        """observe measure detect analyse publish replicate sequence model predict
        estimate confirm survey""",
        """laboratory observatory field_station research_vessel museum_archive""",
        """researcher scientist astronomer biologist geologist student technician
        lead_author""",
        """the new_comet the coral_survey the fossil_discovery the ice_core_study
        the exoplanet_search""",
    ),
    _topic(
        "business",
        """shop cafe bakery bookshop startup workshop customer supplier stock order delivery
        invoice margin rent lease shopfront website newsletter loyalty_card
        staff_rota apprentice market_stall pop-up_shop product_range price_list loyalty_scheme
        espresso_machine till""",
        """independent family-run struggling thriving seasonal online local ethical
        small""",
        """open close hire expand launch stock sell deliver price promote rebrand
        relocate""",
        """high_street market_hall industrial_unit arcade shopping_centre""",
        """owner founder customer supplier manager apprentice barista""",
        """the new_bookshop the family_bakery the coffee_van the repair_cafe""",
    ),
    _topic(
        "education",
        """classroom timetable lesson homework exam coursework syllabus report_card
        parents'_evening school_trip assembly playground uniform textbook worksheet
        reading_scheme library_book tutor scholarship lecture seminar essay dissertation""",
        """primary secondary mixed-ability rigorous inclusive overcrowded""",
        """teach learn revise mark inspect tutor enrol graduate assess""",
        """primary_school secondary_school college campus lecture_hall""",
        """teacher pupil student parent governor headteacher tutor lecturer""",
        """the new_timetable the school_inspection the reading_scheme
        the exam_results""",
    ),
    _topic(
        "health",
        """diet breakfast portion vegetable fruit fibre protein sugar salt vitamin
        supplement sleep_routine habit stress walk appointment prescription
        clinic symptom headache allergy hay_fever blood_pressure cholesterol
        water_bottle meal_plan""",
        """balanced healthy processed moderate regular restless mild chronic""",
        """eat sleep drink avoid reduce monitor swap prepare""",
        """clinic pharmacy surgery kitchen gym""",
        """doctor nurse pharmacist dietitian patient reader""",
        """the sleep_routine the new_meal_plan the morning_walks the hay_fever_season""",
    ),
    _topic(
        "motoring",
        """car hatchback estate_car van engine gearbox clutch tyre windscreen wiper
        headlight dashboard satnav fuel_tank charging_point battery_range service
        MOT_test breakdown roadside_assistance motorway junction lay-by toll_road
        roof_rack tow_bar""",
        """economical thirsty smooth noisy spacious cramped electric hybrid
        second-hand reliable""",
        """drive park service charge refuel overtake tow test-drive sell buy""",
        """motorway service_station garage forecourt car_park country_road""",
        """driver mechanic dealer motorist learner_driver passenger""",
        """the electric_hatchback the family_estate_car the long_motorway_trip""",
    ),
    _topic(
        "outdoors",
        """trail summit ridge valley stream bridge stile gate footpath waymark compass
        map_reference rucksack waterproof_jacket boot flask picnic bothy tent
        sleeping_bag stove weather_forecast rainstorm fog mist drizzle sunrise
        sunset cairn moorland heather bracken""",
        """boggy rocky exposed sheltered misty icy wooded""",
        """hike climb descend navigate camp shelter pitch cross follow""",
        """moor hillside forest coast lakeshore mountain_hut""",
        """walker hiker ranger climber warden guide""",
        """the ridge_walk the wild_camp the coastal_path the winter_summit""",
    ),
)


def web_topics(*names: str) -> list[Topic]:
    """The web topics called ``names``, in `WEB_TOPICS` order whatever the order of ``names`` (so
    a seed picks the same one); a misspelt name fails here instead of quietly narrowing a choice."""
    found = [t for t in WEB_TOPICS if t.name in names]
    unknown = set(names) - {t.name for t in found}
    if unknown:
        raise KeyError(f"no web topic named {', '.join(sorted(unknown))}")
    return found


# ----------------------------------------------------------------------------------------------
# Encyclopedia subject classes: what a fictional entry can be about

ENCYCLOPEDIA_KINDS: tuple[Topic, ...] = (
    _topic(
        "settlement",
        """market_town parish borough port county_town railway_junction mill_town spa_town
        cathedral_city fishing_port river_crossing abbey toll_bridge guildhall corn_exchange
        charter census mill foundry tannery brewery canal wharf turnpike almshouse""",
        """historic rural coastal industrial agricultural fortified ancient prosperous""",
        """found grant incorporate fortify rebuild expand merge annex""",
        """river_valley estuary plain upland coast""",
        """founder merchant abbot landowner mayor historian""",
        """the_town""",
    ),
    _topic(
        "river",
        """river tributary estuary source confluence floodplain meander weir lock
        navigation_channel watermill ford catchment gorge delta""",
        """navigable tidal shallow winding broad slow-flowing""",
        """drain flood divert navigate canalise""",
        """upland moorland lowland valley""",
        """engineer surveyor boatman""",
        """the_river""",
    ),
    _topic(
        "species",
        """beetle moth butterfly warbler finch plover heron orchid fern moss lichen fungus
        shrew vole bat newt toad lizard mayfly dragonfly sedge rush grass""",
        """nocturnal migratory endemic widespread solitary colonial herbivorous
        insectivorous perennial annual""",
        """inhabit breed feed migrate nest forage pollinate""",
        """wetland heathland woodland grassland meadow reedbed estuary""",
        """naturalist entomologist botanist ornithologist collector""",
        """the_species""",
    ),
    _topic(
        "person",
        """composer painter engineer architect botanist cartographer novelist poet
        mathematician astronomer physician inventor surveyor printer""",
        """influential prolific self-taught celebrated neglected eccentric""",
        """compose paint design publish found teach survey invent""",
        """capital province coast college""",
        """patron pupil rival collaborator""",
        """the_person""",
    ),
    _topic(
        "building",
        """church chapel bridge viaduct lighthouse castle manor_house mill windmill
        railway_station market_hall theatre observatory library tower""",
        """listed derelict restored gothic baroque neoclassical timber-framed""",
        """design build restore extend demolish convert""",
        """hilltop riverbank square harbour""",
        """architect builder mason patron""",
        """the_building""",
    ),
)


# ----------------------------------------------------------------------------------------------
# General vocabulary (any topic)

ABSTRACT_NOUNS = words(
    """decision problem question answer reason result change plan idea detail choice mistake
    success failure progress delay cost benefit risk chance effort experience memory habit
    approach argument concern complaint suggestion request response reaction difference
    improvement solution challenge priority balance habit routine tradition schedule
    agreement compromise conclusion estimate figure trend pattern impression opinion
    explanation warning example exception outcome promise surprise detour lesson"""
)

GENERAL_ADJS = words(
    """small large new old important simple obvious useful careful quick slow steady clear
    strange familiar difficult easy generous honest practical sensible modest surprising
    remarkable ordinary unusual reliable patient cheerful quiet noisy bright dark early late
    rough smooth warm cold fresh distant nearby recent previous current curious awkward
    brief lengthy sudden gradual thoughtful welcome hopeful reluctant"""
)

ADVERBS = words(
    """quickly slowly carefully quietly eventually finally gradually suddenly clearly
    certainly probably apparently honestly briefly nearly barely roughly
    largely mostly partly simply surprisingly increasingly reluctantly cheerfully
    patiently occasionally regularly rarely usually recently already"""
)

GENERAL_VERBS = words(
    """improve review change explain describe mention suggest notice consider discuss
    compare prepare organise arrange support share follow check finish start continue
    replace remove collect choose accept agree question remember manage handle measure
    test adjust extend reduce protect encourage"""
)

TIME_PHRASES = words(
    """last_week last_month this_spring last_summer in_the_autumn over_the_winter
    earlier_this_year on_Tuesday on_Friday_morning at_the_weekend two_years_ago
    in_the_past_decade since_the_spring after_the_holidays before_the_election
    over_the_last_few_months by_the_end_of_the_year"""
)

COLOURS = words("red blue green yellow grey brown amber silver golden white pale_blue dark_green")

FIRST_NAMES = words(
    """Anna Ben Clara Daniel Eleanor Felix Grace Harry Isla Jacob Karen Liam Maya Noah Olivia
    Peter Quentin Rosa Samuel Tara Umar Vera William Yasmin Zoe Alice Bernard Chloe David Emma
    Frank Georgia Henry Imogen James Katie Leo Martha Nathan Oscar Priya Rachel Simon Thomas
    Ursula Victor Wendy Adam Beatrice Callum Diana Edward Fiona George Hannah Ian Julia Kevin
    Lucy Martin Nina Owen Paula Ruth Stephen Theo Valerie Amir Bethany Carlos Deborah Elliot
    Farah Gareth Helen Isaac Joanna Kieran Laura Marcus Naomi Patrick Rebecca Sophie Tobias
    Agnes Arthur Cecily Edmund Florence Harriet Hugo Jemima Lionel Matilda Philippa Rupert
    Sylvia Walter Mei Kenji Aisha Tomasz Ingrid Rahul Chiara Sean Niamh Dmitri Lena"""
)

SURNAMES = words(
    """Fields Harper Lawson Mitchell Okafor Patel Reynolds Sutherland Turner Underwood Vaughan
    Whitaker Yates Abbott Barnes Carter Dawson Ellis Fletcher Gallagher Hughes Irving Jenkins
    Kaur Lambert Morgan Norris Osborne Pearson Quinn Russell Shaw Thornton Upton Walsh Ashworth
    Bradley Chapman Doyle Everett Foster Griffin Hammond Ingram Jarvis Kendall Lowe Marsh
    Newton Oakley Parsons Ramsey Sheridan Tate Vickers Webb Ahmed Brennan Clarke Delaney
    Eastwood Fairbairn Goodwin Holloway Kowalski Lindqvist Mackenzie Nakamura O'Brien Pritchard
    Rossi Sandoval Takahashi Varga Wainwright Zielinski Hartley Moreau Bianchi Ferreira Novak
    Castell Dunmore Ellery Farrant Greaves Haddow Kirkby Lytton Merriweather Pendle Rowntree
    Stanhope Tregarthen Wickham Ashby Bellamy Corbett Drury Faulkner Hayward Linley"""
)

TOWN_HEADS = words(
    """Ash Brack Clay Dun Elm Fern Glen Hather Ivy King Lang Mill North Oak Pen Quarry Red
    Stan Thorn Upper Wex Ald Bar Cran Dray Farn Gold Hart Kirk Lyn Marl Nether Ox Pol Rad
    Saxon Tarn Wal Whit Bever Carr Dal Fal Grass Holm Lud Mor Prest Ros Shel Sut Wick Yar"""
)

TOWN_TAILS = words(
    """ford bury ton ham wick field bridge mouth stead worth by thorpe combe dale hurst leigh
    minster well wood port ley den croft haven borough gate mere""",
)

REGIONS = words(
    """Northshire Westmarch Eastvale the_Lowland_Coast the_Upper_Valley Southmoor
    the_Red_Hills the_Lake_District Harrowdale the_Fen_Country Wendover_Downs
    the_Northern_Plains the_Western_Isles"""
)

COUNTRIES = words(
    """England Scotland Wales Ireland France Spain Portugal Italy Greece Norway Sweden
    Denmark Finland Poland Austria Switzerland Canada Chile Peru Japan Vietnam Morocco
    Kenya Iceland Croatia Slovenia Estonia Georgia Argentina Mexico Australia New_Zealand"""
)

WEEKDAYS = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
MONTHS = words("January February March April May June July August September October November December")

# Words for usernames on forums and comment widgets.
HANDLE_PARTS = words(
    """green river stone quiet old north blue fox owl hare wren kestrel moss fern oak birch
    copper tin iron salt pepper maple cedar harbour hill marsh heron otter badger finch
    lantern pixel byte cloud rain tide comet orbit"""
)
