package petstore

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// ImagePath returns the site path of the image of the product with the
// given id: /static/img/<id>.svg, which package httpapi serves with
// [ProductImage].
func ImagePath(id string) string { return "/static/img/" + id + ".svg" }

func product(id string, c Category, name string, price Cents, stock int, desc string) Product {
	return Product{ID: id, Category: c, Name: name, Description: desc, Price: price, Stock: stock, Image: ImagePath(id)}
}

// SeedProducts returns the pet store's own catalog: some sixty products
// across every category, for demos and tests. Each call returns a new
// slice the caller may change.
func SeedProducts() []Product {
	return []Product{
		// Dogs.
		product("dog-beagle-puppy", Dogs, "Beagle Puppy", 89900, 3, "A cheerful ten-week-old beagle, vaccinated and microchipped. Loves walks, sniffing everything and napping in a sunny spot."),
		product("dog-labrador-puppy", Dogs, "Labrador Retriever Puppy", 119900, 2, "A gentle yellow Labrador pup from a health-tested line. Patient with children and eager to learn."),
		product("dog-chew-rope", Dogs, "Braided Cotton Rope Toy", 1299, 40, "A sturdy three-knot rope for tug of war and fetch. Natural cotton fibres help clean teeth while your dog chews."),
		product("dog-orthopedic-bed", Dogs, "Orthopedic Memory Foam Dog Bed", 8999, 12, "Supportive memory foam with a washable cover and raised bolsters. Kind to older joints; large size."),
		product("dog-leather-leash", Dogs, "Leather Leash", 3499, 25, "A six-foot leash of full-grain leather with a solid brass clip. Softens with use."),
		product("dog-reflective-collar", Dogs, "Reflective Nylon Collar", 1599, 30, "Adjustable padded collar with reflective stitching for evening walks. Quick-release buckle."),
		product("dog-salmon-kibble", Dogs, "Salmon & Sweet Potato Kibble, 12 kg", 6499, 18, "Grain-free dry food with wild salmon as the first ingredient. Omega-3 for a shiny coat."),
		product("dog-training-treats", Dogs, "Chicken Training Treats", 899, 60, "Soft, pea-sized treats that break easily: ideal rewards for training sessions. No artificial colours."),
		product("dog-squeaky-ball", Dogs, "Squeaky Tennis Balls, 3 Pack", 999, 45, "Bright, bouncy balls with a squeaker inside. Felt gentle on teeth."),
		product("dog-raincoat", Dogs, "Waterproof Dog Raincoat", 2999, 10, "A lightweight hooded raincoat with a harness opening. Folds into its own pocket."),
		product("dog-steel-bowl", Dogs, "Stainless Steel Bowl Set", 2199, 22, "Two non-slip steel bowls on a bamboo stand, for food and water. Dishwasher safe."),
		product("dog-grooming-brush", Dogs, "Deshedding Grooming Brush", 1899, 15, "Removes loose undercoat in minutes. Ergonomic handle and a button that clears the bristles."),
		product("dog-puzzle-feeder", Dogs, "Puzzle Feeder", 2499, 0, "Slide, lift and spin to find hidden kibble: a slow feeder that keeps clever dogs busy."),

		// Cats.
		product("cat-siamese-kitten", Cats, "Siamese Kitten", 69900, 2, "A talkative blue-eyed Siamese kitten, litter trained and vaccinated. Will follow you from room to room."),
		product("cat-maine-coon-kitten", Cats, "Maine Coon Kitten", 129900, 1, "A fluffy gentle giant in the making. Sociable, playful and good with other pets."),
		product("cat-scratching-post", Cats, "Sisal Scratching Post", 3999, 14, "A tall, heavy-based post wrapped in natural sisal, topped with a plush perch. Saves your sofa."),
		product("cat-tree-tower", Cats, "Five-Level Cat Tree", 11999, 6, "Condos, hammock, platforms and dangling toys on a sturdy frame. Room for two cats to play."),
		product("cat-catnip-mice", Cats, "Catnip Mice, 6 Pack", 799, 70, "Felt mice stuffed with organic catnip. Irresistible to most cats, tiring for all."),
		product("cat-feather-wand", Cats, "Feather Wand Teaser", 1199, 35, "A flexible wand with a feather and bell lure that dances like a bird. Interactive play for indoor cats."),
		product("cat-clumping-litter", Cats, "Clumping Clay Litter, 10 kg", 1899, 40, "Fast-clumping, low-dust litter that locks away odours. Unscented."),
		product("cat-covered-litter-box", Cats, "Covered Litter Box", 4499, 9, "A hooded box with a swing door and carbon filter for fewer smells and less scatter."),
		product("cat-tuna-pate", Cats, "Tuna Pâté, 12 Cans", 1799, 50, "Smooth wet food made with skipjack tuna. Complete nutrition for adult cats."),
		product("cat-window-perch", Cats, "Window Perch", 3299, 11, "A suction-cup hammock that holds cats up to 20 kg by the window. Bird watching included."),
		product("cat-ceramic-fountain", Cats, "Ceramic Water Fountain", 5499, 7, "Running water encourages cats to drink. Quiet pump, easy to clean glazed bowl."),
		product("cat-travel-carrier", Cats, "Soft-Sided Travel Carrier", 3799, 13, "Airline-approved carrier with mesh windows and a fleece pad. Top and side entry."),
		product("cat-laser-toy", Cats, "Automatic Laser Toy", 2599, 16, "A rotating laser dot with random patterns and an auto-off timer. Endless chase, no tired arms."),

		// Fish.
		product("fish-goldfish", Fish, "Fancy Goldfish", 599, 40, "A hardy oranda goldfish with a flowing tail, about 5 cm. Perfect for a well-filtered cold-water tank."),
		product("fish-betta", Fish, "Betta Splendens", 1499, 12, "A male Siamese fighting fish in deep blue and red. Keep alone in a heated tank of at least 20 litres."),
		product("fish-neon-tetra", Fish, "Neon Tetras, School of 10", 2499, 20, "Tiny, peaceful fish with an electric blue stripe. Stunning in a planted tropical aquarium."),
		product("fish-clownfish", Fish, "Ocellaris Clownfish", 3499, 6, "Captive-bred clownfish for reef aquariums. Hardy, curious and quick to settle."),
		product("fish-angelfish", Fish, "Freshwater Angelfish", 1999, 8, "An elegant silver angelfish with black bands. Grows tall: give it a deep tank."),
		product("fish-starter-aquarium", Fish, "60 Litre Starter Aquarium Kit", 14999, 5, "Glass tank with LED hood, filter, heater and water conditioner. Everything for a first tropical tank."),
		product("fish-flake-food", Fish, "Tropical Flake Food", 699, 55, "Balanced daily flakes for tropical community fish. Won't cloud the water."),
		product("fish-canister-filter", Fish, "Canister Filter", 8999, 4, "A quiet external filter for tanks up to 300 litres with three media trays."),
		product("fish-water-conditioner", Fish, "Water Conditioner", 899, 38, "Makes tap water safe for fish in seconds: removes chlorine and detoxifies heavy metals."),
		product("fish-aquarium-gravel", Fish, "Natural River Gravel, 5 kg", 1299, 24, "Rounded river pebbles in earthy tones. Pre-washed and safe for plants and bottom dwellers."),
		product("fish-java-fern", Fish, "Java Fern", 999, 19, "A hardy live plant that grows on driftwood and rocks. Low light, no fuss."),
		product("fish-castle-ornament", Fish, "Sunken Castle Ornament", 1699, 15, "A resin castle ruin with swim-through arches. Fish love to explore it."),

		// Birds.
		product("bird-budgie", Birds, "Budgerigar", 3999, 10, "A hand-tamed budgie in sky blue. Chatty, social and easy to care for: a classic first bird."),
		product("bird-cockatiel", Birds, "Cockatiel", 12999, 4, "A friendly grey cockatiel with bright orange cheeks. Whistles tunes and enjoys head scratches."),
		product("bird-canary", Birds, "Yellow Canary", 7999, 5, "A singing male canary with a bright yellow plumage. Fills the house with song."),
		product("bird-lovebirds", Birds, "Peach-Faced Lovebirds, Pair", 15999, 3, "A bonded pair of playful lovebirds. Colourful, affectionate and always together."),
		product("bird-flight-cage", Birds, "Large Flight Cage", 18999, 3, "A roomy cage with four perches, feeders and a pull-out tray. Wide enough for short flights."),
		product("bird-seed-mix", Birds, "Premium Seed Mix, 2 kg", 1499, 44, "Millet, canary grass seed and oats, cleaned and dust-free. For budgies and finches."),
		product("bird-cuttlebone", Birds, "Cuttlebone, 3 Pack", 499, 60, "A natural source of calcium that also keeps beaks trim. Clips to the cage."),
		product("bird-mirror-bell", Birds, "Mirror and Bell Toy", 699, 33, "A mirror with a jingle bell for curious birds. Stainless steel clip."),
		product("bird-perch-set", Birds, "Natural Wood Perch Set", 1999, 17, "Three perches of varied widths to exercise feet. Untreated hardwood."),
		product("bird-bath", Birds, "Clip-On Bird Bath", 1299, 20, "A clear splash-guard bath that hangs on the cage door. Bathing keeps feathers healthy."),
		product("bird-millet-spray", Birds, "Millet Spray", 599, 52, "Sprays of natural golden millet: a treat for training and foraging."),
		product("bird-travel-cage", Birds, "Bird Travel Carrier", 3499, 8, "A light carrier with a perch and secure latches for vet visits."),

		// Small pets.
		product("small-hamster", SmallPets, "Syrian Hamster", 1999, 9, "A golden hamster, hand-tamed and curious. Busy in the evening, asleep by day."),
		product("small-guinea-pigs", SmallPets, "Guinea Pigs, Pair", 5999, 4, "Two sociable guinea pigs who will squeak hello at dinner time. Kept in pairs, they thrive."),
		product("small-dwarf-rabbit", SmallPets, "Netherland Dwarf Rabbit", 7999, 3, "A compact rabbit with upright ears and a big personality. Litter trainable."),
		product("small-chinchilla", SmallPets, "Chinchilla", 19999, 2, "A soft grey chinchilla with the densest fur of any land animal. Needs dust baths and a cool room."),
		product("small-fancy-rats", SmallPets, "Fancy Rats, Pair", 2999, 5, "Clever, affectionate rats that learn their names. Friendly pets for older children."),
		product("small-timothy-hay", SmallPets, "Timothy Hay, 2 kg", 1599, 36, "Fresh, fragrant second-cut hay: the staple diet of rabbits, guinea pigs and chinchillas."),
		product("small-exercise-wheel", SmallPets, "Silent Exercise Wheel", 2299, 14, "A 28 cm wheel with a solid running surface and sealed bearings. No squeaks at night."),
		product("small-hideout", SmallPets, "Wooden Hideout", 1399, 21, "A chew-safe willow hideaway where small pets feel secure."),
		product("small-paper-bedding", SmallPets, "Paper Bedding, 30 Litres", 1799, 27, "Soft, absorbent, dust-free bedding made from recycled paper. Controls odour for days."),
		product("small-rabbit-hutch", SmallPets, "Two-Storey Rabbit Hutch", 16999, 2, "A weatherproof fir hutch with a ramp, run and removable tray. For garden or patio."),
		product("small-water-bottle", SmallPets, "Drip-Free Water Bottle", 799, 41, "A 500 ml bottle with a steel ball valve that doesn't leak. Clips to cage bars."),
		product("small-chew-sticks", SmallPets, "Apple Wood Chew Sticks", 599, 48, "Untreated apple wood to keep growing teeth in shape. Loved by rabbits and hamsters."),
	}
}

// Words for generated catalogs, by category.
var generated = map[Category]struct {
	adjectives, nouns  []string
	minPrice, maxPrice Cents
}{
	Dogs: {
		adjectives: []string{"Cozy", "Rugged", "Plush", "Deluxe", "Reflective", "Waterproof", "Squeaky", "Organic", "Classic", "Padded"},
		nouns:      []string{"Dog Bed", "Leash", "Collar", "Chew Toy", "Harness", "Kibble", "Treats", "Raincoat", "Food Bowl", "Frisbee", "Crate", "Shampoo"},
		minPrice:   499, maxPrice: 14999,
	},
	Cats: {
		adjectives: []string{"Fluffy", "Sisal", "Catnip", "Deluxe", "Quiet", "Covered", "Interactive", "Gourmet", "Cozy", "Modern"},
		nouns:      []string{"Scratching Post", "Cat Tree", "Litter Box", "Teaser Wand", "Cat Food", "Window Perch", "Cat Bed", "Fountain", "Carrier", "Mouse Toy"},
		minPrice:   399, maxPrice: 12999,
	},
	Fish: {
		adjectives: []string{"Tropical", "Freshwater", "Marine", "Planted", "Nano", "Glowing", "Natural", "Silent", "Compact", "Reef"},
		nouns:      []string{"Aquarium", "Filter", "Heater", "Flake Food", "Gravel", "Driftwood", "Air Pump", "Castle", "Plant", "Light"},
		minPrice:   299, maxPrice: 19999,
	},
	Birds: {
		adjectives: []string{"Wooden", "Natural", "Colourful", "Hanging", "Spacious", "Premium", "Foraging", "Clip-On", "Rope", "Swinging"},
		nouns:      []string{"Bird Cage", "Perch", "Seed Mix", "Swing", "Bird Bath", "Ladder", "Feeder", "Mirror Toy", "Nest Box", "Millet"},
		minPrice:   299, maxPrice: 24999,
	},
	SmallPets: {
		adjectives: []string{"Silent", "Wooden", "Timothy", "Cozy", "Chewable", "Spacious", "Dust-Free", "Two-Storey", "Willow", "Meadow"},
		nouns:      []string{"Exercise Wheel", "Hideout", "Hay", "Bedding", "Hutch", "Water Bottle", "Chew Sticks", "Play Pen", "Tunnel", "Pellets"},
		minPrice:   299, maxPrice: 17999,
	},
}

var descriptionTemplates = []string{
	"Made to last and easy to clean: our %s %s, for your %s.",
	"Our customers' favourite %s %s. Every %s deserves one.",
	"The %s %s, chosen by our staff for a happy, healthy %s.",
	"Practical and good-looking: the %s %s that %s owners love.",
}

// GenerateCatalog returns n made-up products spread over every category,
// for load tests and large demos. The same n and seed give the same
// catalog. Ids are gen-<seed>-<index> (gen-n<-seed>-<index> for a
// negative seed), so catalogs of different seeds share no ids and never
// collide with [SeedProducts]; images follow [ImagePath].
func GenerateCatalog(n int, seed int64) []Product {
	r := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	out := make([]Product, 0, max(n, 0))
	for i := range n {
		c := categories[i%len(categories)]
		g := generated[c]
		adj := g.adjectives[r.IntN(len(g.adjectives))]
		noun := g.nouns[r.IntN(len(g.nouns))]
		name := fmt.Sprintf("%s %s No. %d", adj, noun, i+1)
		pet := strings.ToLower(c.Title())
		tmpl := descriptionTemplates[r.IntN(len(descriptionTemplates))]
		desc := fmt.Sprintf(tmpl, strings.ToLower(adj), strings.ToLower(noun), strings.TrimSuffix(pet, "s"))
		// Prices end in 99 cents, as shop prices do.
		price := (g.minPrice+Cents(r.Int64N(int64(g.maxPrice-g.minPrice))))/100*100 + 99
		id := fmt.Sprintf("gen-%d-%06d", seed, i)
		if seed < 0 {
			id = fmt.Sprintf("gen-n%d-%06d", -seed, i)
		}
		out = append(out, product(id, c, name, price, r.IntN(100), desc))
	}
	return out
}
